// The delivery ledger: per producer, typed arrays indexed by sequence number (no object per event).
//
// Per event: 1 byte outcome, and per subscription 1 byte delivery count and 1 byte effect count
// (both saturate at 255). Order is tracked per (subscription, producer, key) as the highest
// sequence number delivered so far.

export const Outcome = { none: 0, pending: 1, ok: 2, failed: 3, indeterminate: 4 } as const;
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];
export type SendOutcome = 'ok' | 'failed' | 'indeterminate';
export const OUTCOME_CODE: Record<SendOutcome, OutcomeCode> = { ok: Outcome.ok, failed: Outcome.failed, indeterminate: Outcome.indeterminate };

class GrowableBytes {
  data: Uint8Array;
  constructor(capacity: number) {
    this.data = new Uint8Array(Math.max(16, capacity));
  }
  ensure(index: number): void {
    if (index < this.data.length) return;
    let n = this.data.length;
    while (n <= index) n *= 2;
    const next = new Uint8Array(n);
    next.set(this.data);
    this.data = next;
  }
}

export interface LedgerShape {
  producers: number;
  subscriptions: number;
  keys: number;
  /** Expected events per producer, to size the arrays once (they grow if needed). */
  expectedPerProducer: number;
}

export interface Sample {
  id: string;
  key: number;
  subscription: number;
  seq: number;
  producer: number;
}

const SAMPLE_LIMIT = 100;

export class Ledger {
  readonly producers: number;
  readonly subscriptions: number;
  readonly keys: number;
  /** Next sequence number per producer = events attempted by it. */
  readonly sent: Uint32Array;
  private readonly outcome: GrowableBytes[];
  private readonly deliveries: GrowableBytes[][];
  private readonly effects: GrowableBytes[][];
  private readonly lastSeq: Int32Array;
  /** Per subscription: deliveries that came after a higher sequence number of the same key. */
  readonly reordered: Float64Array;
  /** Per subscription: deliveries of events never sent or refused by the broker, and unreadable envelopes. */
  readonly unexpected: Float64Array;
  /** Deliveries of another run's events (e.g. leftovers in a reused topic): ignored, but counted. */
  foreign = 0;
  readonly reorderSamples: Sample[] = [];
  readonly unexpectedSamples: string[] = [];

  constructor(shape: LedgerShape) {
    this.producers = shape.producers;
    this.subscriptions = shape.subscriptions;
    this.keys = shape.keys;
    this.sent = new Uint32Array(shape.producers);
    const cap = Math.min(shape.expectedPerProducer + 1024, 1 << 27);
    this.outcome = Array.from({ length: shape.producers }, () => new GrowableBytes(cap));
    this.deliveries = Array.from({ length: shape.subscriptions }, () => Array.from({ length: shape.producers }, () => new GrowableBytes(cap)));
    this.effects = Array.from({ length: shape.subscriptions }, () => Array.from({ length: shape.producers }, () => new GrowableBytes(cap)));
    this.lastSeq = new Int32Array(shape.subscriptions * shape.producers * shape.keys).fill(-1);
    this.reordered = new Float64Array(shape.subscriptions);
    this.unexpected = new Float64Array(shape.subscriptions);
  }

  /** Reserves the next sequence number of a producer and marks it pending. */
  attempt(producer: number): number {
    const seq = this.sent[producer]++;
    const o = this.outcome[producer];
    o.ensure(seq);
    o.data[seq] = Outcome.pending;
    return seq;
  }

  settle(producer: number, seq: number, outcome: OutcomeCode): void {
    this.outcome[producer].data[seq] = outcome;
  }

  outcomeOf(producer: number, seq: number): OutcomeCode {
    return seq < this.sent[producer] ? (this.outcome[producer].data[seq] as OutcomeCode) : Outcome.none;
  }

  /**
   * Records one delivery; returns the delivery count of that event for the subscription after it
   * (1 = first delivery), or 0 when the delivery was unexpected.
   */
  deliver(subscription: number, producer: number, seq: number, key: number): number {
    if (producer >= this.producers || key >= this.keys || seq >= this.sent[producer]) return this.markUnexpected(subscription, `${producer}:${seq}`, 'never sent');
    const o = this.outcome[producer].data[seq];
    if (o === Outcome.failed) return this.markUnexpected(subscription, `${producer}:${seq}`, 'sent with a definite failure (phantom write)');
    const d = this.deliveries[subscription][producer];
    d.ensure(seq);
    const count = d.data[seq];
    if (count < 255) d.data[seq] = count + 1;
    const slot = (subscription * this.producers + producer) * this.keys + key;
    const last = this.lastSeq[slot];
    if (seq > last) this.lastSeq[slot] = seq;
    else if (count === 0 && seq < last) {
      this.reordered[subscription]++;
      if (this.reorderSamples.length < SAMPLE_LIMIT) this.reorderSamples.push({ id: `${producer}:${seq}`, key, subscription, seq, producer });
    }
    return count + 1;
  }

  markUnexpected(subscription: number, what: string, why: string): 0 {
    this.unexpected[subscription]++;
    if (this.unexpectedSamples.length < SAMPLE_LIMIT) this.unexpectedSamples.push(`${what}: ${why}`);
    return 0;
  }

  /** Records an effect applied for an event; returns how many times it has now been applied. */
  applyEffect(subscription: number, producer: number, seq: number): number {
    const e = this.effects[subscription][producer];
    e.ensure(seq);
    const count = e.data[seq];
    if (count < 255) e.data[seq] = count + 1;
    return count + 1;
  }

  effectsOf(subscription: number, producer: number, seq: number): number {
    const e = this.effects[subscription][producer].data;
    return seq < e.length ? e[seq] : 0;
  }

  deliveriesOf(subscription: number, producer: number, seq: number): number {
    const d = this.deliveries[subscription][producer].data;
    return seq < d.length ? d[seq] : 0;
  }

  /** Bytes held by the per-event arrays (for the memory-per-event figure). */
  bytes(): number {
    let n = this.lastSeq.byteLength;
    for (const o of this.outcome) n += o.data.byteLength;
    for (const s of [...this.deliveries, ...this.effects]) for (const g of s) n += g.data.byteLength;
    return n;
  }
}
