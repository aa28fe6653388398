// What the memory broker keeps after delivery, as a log would: per subscription and partition, the
// envelope fields of every event it holds (12 bytes each), so a final read can say what is there.
// An event the broker dropped is not in it.
class Growable {
  data = new Uint32Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = v;
  }
}

export class RetainedLog {
  private readonly producer = new Growable();
  private readonly seq = new Growable();
  private readonly key = new Growable();
  /** Positions below it were forgotten. */
  private first = 0;

  /** Appends an event; returns its position. */
  append(producer: number, seq: number, key: number): number {
    this.producer.push(producer);
    this.seq.push(seq);
    this.key.push(key);
    return this.key.n - 1;
  }

  /** Forgets every event (a broker without persistence, killed); positions go on from where they were. */
  clear(): void {
    this.first = this.key.n;
  }

  /** Every event held, with its position (its index in this partition's log). */
  forEach(fn: (producer: number, seq: number, key: number, position: number) => void): void {
    for (let i = this.first; i < this.producer.n; i++) fn(this.producer.data[i], this.seq.data[i], this.key.data[i], i);
  }
}
