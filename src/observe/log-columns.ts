// One block's worth of located events, column by column: what a final read found, where the broker
// put acknowledged sends, where deliveries were read from (then `key` holds the member that read it).
export const LOG_BLOCK = 4096;

export class LogColumns {
  n = 0;
  readonly producer = new Uint32Array(LOG_BLOCK);
  readonly seq = new Uint32Array(LOG_BLOCK);
  readonly key = new Uint32Array(LOG_BLOCK);
  readonly partition = new Uint32Array(LOG_BLOCK);
  readonly position = new Float64Array(LOG_BLOCK);

  /** Appends one event; true when the block is full (the caller writes it out and sets n to 0). */
  push(producer: number, seq: number, key: number, partition: number, position: number): boolean {
    const i = this.n++;
    this.producer[i] = producer;
    this.seq[i] = seq;
    this.key[i] = key;
    this.partition[i] = partition;
    this.position[i] = position;
    return this.n === LOG_BLOCK;
  }
}
