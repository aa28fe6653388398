// Which events of a run are poison (consumer.poison): a pure function of the seed, the producer and the
// sequence number, so the consumer that fails them and the checker that counts them agree untold.
/** Whether producer:seq of a run with this seed is a poison event (a pure function: the live consumer and the checker agree). */
export function isPoison(seed: number, producer: number, seq: number, fraction: number): boolean {
  if (fraction <= 0) return false;
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(producer + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) ^ seq;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296 < fraction;
}
