// A Redis stream entry ID ("<ms>-<seq>") as one number, the position faultline's history keeps for
// it: ms × 4096 + seq, exact below 2^53 (until 2039) while a stream takes fewer than 4,096 entries in
// one millisecond; ordered as the IDs are. -1 for anything else (positions are then not known).
const SEQ_SPAN = 4096;

export function entryPosition(id: string | Buffer | undefined): number {
  if (id === undefined) return -1;
  const s = typeof id === 'string' ? id : id.toString();
  const dash = s.indexOf('-');
  if (dash < 1) return -1;
  const ms = Number(s.slice(0, dash));
  const seq = Number(s.slice(dash + 1));
  if (!Number.isSafeInteger(ms) || !Number.isSafeInteger(seq) || seq >= SEQ_SPAN) return -1;
  const position = ms * SEQ_SPAN + seq;
  return Number.isSafeInteger(position) ? position : -1;
}

/** The entry ID again, for samples and messages. */
export const entryId = (position: number): string => `${Math.floor(position / SEQ_SPAN)}-${position % SEQ_SPAN}`;
