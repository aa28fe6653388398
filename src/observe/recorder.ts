// The live side of observation: appends every send outcome and delivery to the history, and keeps
// only what the run itself needs while it runs (progress intervals, and what drain waits for).
// It judges nothing: verdicts come from the checkers, over the history, after the run.
import type { Clock } from '../clock.js';
import { emptyEnvelope, readEnvelope } from './envelope.js';
import { FOREIGN, UNREADABLE, UNREADABLE_REASON, type HistoryWriter } from './history.js';
import { IntervalSeries } from './intervals.js';
import { LogBuckets } from './log-buckets.js';
import { Outcome, type OutcomeCode } from './outcome.js';

export interface RecorderOptions {
  clock: Clock;
  runTag: number;
  producers: number;
  subscriptions: number;
  history: HistoryWriter;
  /** Whether a producer sends from this process (a shard holds only some); default: all. */
  local?: (producer: number) => boolean;
  /** Keep running totals and whole-run latency histograms for live metrics (--metrics). */
  totals?: boolean;
  /** Latency of events intended within the warmup is left out of the totals, as result.json leaves it out. */
  warmupMs?: number;
}

/** What the run has seen so far, for live metrics: counts since the load started and whole-run latency counts (log-buckets.ts). */
export interface LiveTotals {
  attempted: number;
  acked: number;
  failed: number;
  indeterminate: number;
  /** Distinct events delivered, summed over subscriptions. */
  delivered: number;
  duplicateDeliveries: number;
  /** Unreadable envelopes and deliveries of events never sent (a refused send's delivery is only known to the checker). */
  unexpected: number;
  publish: LogBuckets;
  e2e: LogBuckets;
}

/** Sequence numbers beyond this, of a producer of another shard, are taken for a corrupted envelope. */
const REMOTE_SEQ_LIMIT = 1 << 28;

/** One byte per event: whether it has been delivered (per subscription), or its send's outcome. */
class EventBytes {
  data = new Uint8Array(1024);
  private ensure(seq: number): void {
    if (seq < this.data.length) return;
    let n = this.data.length;
    while (n <= seq) n *= 2;
    const next = new Uint8Array(n);
    next.set(this.data);
    this.data = next;
  }
  /** Marks `seq`; true if it was not marked before. */
  mark(seq: number): boolean {
    this.ensure(seq);
    if (this.data[seq]) return false;
    this.data[seq] = 1;
    return true;
  }
  set(seq: number, v: number): void {
    this.ensure(seq);
    this.data[seq] = v;
  }
  get(seq: number): number {
    return seq < this.data.length ? this.data[seq] : 0;
  }
}

export class Recorder {
  /** The live one-second series (progress and intervals.ndjson); result.json's series is recomputed from the history. */
  readonly intervals = new IntervalSeries();
  /** Clock time of the latest delivery of this run's events (drain watches it). */
  lastDeliveryAt = 0;
  deliveries = 0;
  inFlight = 0;
  /** Acknowledged sends so far, and distinct events delivered per subscription. */
  acked = 0;
  readonly distinct: Float64Array;
  /**
   * Per subscription: acknowledged events delivered. The drain waits for these to reach `acked`: a
   * count of all distinct deliveries would also count recovered (indeterminate) events, and could
   * end the drain while an acknowledged event is still on its way (a redelivery after a reset).
   */
  readonly ackedDelivered: Float64Array;
  private readonly outcomes: EventBytes[];
  /** Sends started per producer: a delivery claiming a later sequence number was never sent. */
  private readonly attempts: Uint32Array;
  private readonly seen: EventBytes[][];
  private readonly env = emptyEnvelope();
  private readonly history: HistoryWriter;
  private readonly local: (producer: number) => boolean;
  private readonly warmupMs: number;
  /** Clock time at which the load (warmup included) starts; set by start(). */
  private startAt = Infinity;
  /** Running totals, kept only for live metrics. */
  readonly totals: LiveTotals | null;

  constructor(private readonly opts: RecorderOptions) {
    this.history = opts.history;
    this.local = opts.local ?? (() => true);
    this.warmupMs = opts.warmupMs ?? 0;
    this.distinct = new Float64Array(opts.subscriptions);
    this.attempts = new Uint32Array(opts.producers);
    this.seen = Array.from({ length: opts.subscriptions }, () => Array.from({ length: opts.producers }, () => new EventBytes()));
    this.outcomes = Array.from({ length: opts.producers }, () => new EventBytes());
    this.ackedDelivered = new Float64Array(opts.subscriptions);
    this.totals = opts.totals ? { attempted: 0, acked: 0, failed: 0, indeterminate: 0, delivered: 0, duplicateDeliveries: 0, unexpected: 0, publish: new LogBuckets(), e2e: new LogBuckets() } : null;
  }

  /** Fixes the time the load starts (after every producer and consumer is connected). */
  start(startAt: number): void {
    this.startAt = startAt;
  }

  /** Milliseconds since the load started. */
  sinceStart(clockTime: number): number {
    return clockTime - this.startAt;
  }

  /** `n` sends of a producer are leaving now. */
  sent(producer: number, n: number): void {
    this.attempts[producer] += n;
    this.intervals.attempted += n;
    if (this.totals) this.totals.attempted += n;
    this.inFlight += n;
  }

  /** Where the broker put an acknowledged send (its answer said: partition and offset, stream sequence). */
  placed(producer: number, seq: number, key: number, partition: number, position: number): void {
    this.history.placement(producer, seq, key, partition, position);
  }

  /** A send's final answer (Outcome.pending with ackAt NaN: never answered before the run gave up on it). */
  settled(producer: number, seq: number, key: number, outcome: OutcomeCode, intendedAt: number, sentAt: number, ackAt: number): void {
    const s = this.startAt;
    this.history.send(producer, seq, key, outcome, intendedAt - s, sentAt - s, ackAt - s);
    this.inFlight--;
    this.outcomes[producer].set(seq, outcome);
    const t = this.totals;
    if (t) {
      if (outcome === Outcome.ok) {
        t.acked++;
        if (intendedAt - s >= this.warmupMs) t.publish.recordMs(ackAt - sentAt);
      } else if (outcome === Outcome.failed) t.failed++;
      else t.indeterminate++;
    }
    if (outcome === Outcome.ok) {
      this.acked++;
      for (let sub = 0; sub < this.seen.length; sub++) if (this.seen[sub][producer].get(seq)) this.ackedDelivered[sub]++;
      this.intervals.acked++;
      this.intervals.recordPublish(ackAt - s - (sentAt - s));
    } else if (outcome === Outcome.failed) this.intervals.failed++;
    else this.intervals.indeterminate++;
  }

  /** The delivery handler: called by adapters for every delivery, on the hot path. */
  readonly delivered = (payload: Uint8Array, subscription: number, partition = -1, position = -1, member = -1): void => {
    const at = this.opts.clock.now() - this.startAt;
    const env = this.env;
    this.deliveries++;
    const bad = readEnvelope(payload, env);
    if (bad) {
      this.history.deliver(subscription, UNREADABLE, UNREADABLE_REASON[bad], 0, at);
      if (this.totals) this.totals.unexpected++;
      return;
    }
    if (env.runTag !== this.opts.runTag) {
      this.history.deliver(subscription, FOREIGN, 0, 0, at);
      return;
    }
    const { producer, seq } = env;
    this.history.deliver(subscription, producer, seq, env.key, at);
    if (position >= 0 && member >= 0) this.history.readFrom(subscription, producer, seq, member, partition, position, at);
    if (producer >= this.opts.producers) return;
    // A shard knows its own producers' attempts; another shard's events are checked at merge time.
    if (this.local(producer) ? seq >= this.attempts[producer] : seq >= REMOTE_SEQ_LIMIT) {
      if (this.totals) this.totals.unexpected++;
      return;
    }
    this.lastDeliveryAt = at + this.startAt;
    if (this.seen[subscription][producer].mark(seq)) {
      this.distinct[subscription]++;
      if (this.outcomes[producer].get(seq) === Outcome.ok) this.ackedDelivered[subscription]++;
      this.intervals.recordE2e(at - (env.intendedAt - this.startAt));
      this.intervals.delivered++;
      if (this.totals) {
        this.totals.delivered++;
        if (env.intendedAt - this.startAt >= this.warmupMs) this.totals.e2e.recordMs(at - (env.intendedAt - this.startAt));
      }
    } else if (this.totals) this.totals.duplicateDeliveries++;
  };

  private readonly dlEnv = emptyEnvelope();

  /**
   * A delivery from subscription s's dead-letter queue. It is the event's end for that subscription
   * as far as the drain goes; the delivery checker counts it deadLettered, not delivered.
   */
  readonly deadLettered = (payload: Uint8Array, subscription: number): void => {
    const env = this.dlEnv;
    if (readEnvelope(payload, env) || env.runTag !== this.opts.runTag || env.producer >= this.opts.producers) return;
    const at = this.opts.clock.now() - this.startAt;
    this.history.deadLetter(subscription, env.producer, env.seq, env.key, at);
    this.lastDeliveryAt = at + this.startAt;
    if (this.seen[subscription][env.producer].mark(env.seq)) {
      this.distinct[subscription]++;
      if (this.outcomes[env.producer].get(env.seq) === Outcome.ok) this.ackedDelivered[subscription]++;
    }
  };

  /** Every subscription has received every event acknowledged so far. */
  caughtUp(): boolean {
    return this.ackedDelivered.every((d) => d >= this.acked);
  }

  destroy(): void {
    this.intervals.destroy();
  }
}
