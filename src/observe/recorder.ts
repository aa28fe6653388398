// Turns observations (send attempts, outcomes, deliveries) into the ledger, histograms and interval series.
import type { Clock } from '../clock.js';
import { emptyEnvelope, readEnvelope } from './envelope.js';
import { LatencySet, recordMs } from './histograms.js';
import { IntervalSeries } from './intervals.js';
import { Ledger, Outcome, type LedgerShape, type OutcomeCode } from './ledger.js';
import { phaseAt, type PhaseSpan } from './phases.js';

export interface PhaseCounters {
  attempted: Float64Array;
  acked: Float64Array;
  failed: Float64Array;
  indeterminate: Float64Array;
  delivered: Float64Array;
}

export interface RecorderOptions extends LedgerShape {
  clock: Clock;
  runTag: number;
  phases: PhaseSpan[];
  /** Phases left out of the run-wide latency and throughput (the warmup). */
  excluded: ReadonlySet<number>;
  dedupeEffects: boolean;
}

export class Recorder {
  readonly ledger: Ledger;
  readonly overall = new LatencySet();
  readonly perPhase: LatencySet[];
  readonly phaseCounts: PhaseCounters;
  readonly intervals = new IntervalSeries();
  readonly phases: PhaseSpan[];
  /** Clock time of the latest delivery of this run's events (drain watches it). */
  lastDeliveryAt = 0;
  deliveries = 0;
  inFlight = 0;
  /** Acknowledged sends so far, and distinct events delivered per subscription (drain compares them). */
  acked = 0;
  readonly distinct: Float64Array;
  private readonly env = emptyEnvelope();
  /** Clock time at which the load (warmup included) starts; set by start(). */
  private startAt = Infinity;

  constructor(private readonly opts: RecorderOptions) {
    this.ledger = new Ledger(opts);
    this.phases = opts.phases;
    this.perPhase = opts.phases.map(() => new LatencySet());
    this.distinct = new Float64Array(opts.subscriptions);
    const n = opts.phases.length;
    this.phaseCounts = { attempted: new Float64Array(n), acked: new Float64Array(n), failed: new Float64Array(n), indeterminate: new Float64Array(n), delivered: new Float64Array(n) };
  }

  /** Fixes the time the load starts (after every producer and consumer is connected). */
  start(startAt: number): void {
    this.startAt = startAt;
  }

  phaseOf(clockTime: number): number {
    return phaseAt(this.phases, clockTime - this.startAt);
  }

  /** A send is leaving now: records schedule lag for the event intended at `intendedAt`. */
  sent(intendedAt: number, sentAt: number): number {
    const phase = this.phaseOf(intendedAt);
    const lag = sentAt - intendedAt;
    if (!this.opts.excluded.has(phase)) recordMs(this.overall.scheduleLag, lag);
    recordMs(this.perPhase[phase].scheduleLag, lag);
    this.phaseCounts.attempted[phase]++;
    this.intervals.attempted++;
    this.inFlight++;
    return phase;
  }

  settled(producer: number, seq: number, outcome: OutcomeCode, phase: number, sentAt: number, ackAt: number): void {
    this.ledger.settle(producer, seq, outcome);
    this.inFlight--;
    if (outcome === Outcome.ok) {
      this.acked++;
      const publish = ackAt - sentAt;
      if (!this.opts.excluded.has(phase)) recordMs(this.overall.publish, publish);
      recordMs(this.perPhase[phase].publish, publish);
      this.intervals.recordPublish(publish);
      this.phaseCounts.acked[phase]++;
      this.intervals.acked++;
    } else if (outcome === Outcome.failed) {
      this.phaseCounts.failed[phase]++;
      this.intervals.failed++;
    } else {
      this.phaseCounts.indeterminate[phase]++;
      this.intervals.indeterminate++;
    }
  }

  /** The delivery handler: called by adapters for every delivery, on the hot path. */
  readonly delivered = (payload: Uint8Array, subscription: number): void => {
    const at = this.opts.clock.now();
    const env = this.env;
    this.deliveries++;
    const bad = readEnvelope(payload, env);
    if (bad) {
      this.ledger.markUnexpected(subscription, 'unreadable envelope', bad === 'short' ? 'too short' : `bad ${bad}`);
      return;
    }
    if (env.runTag !== this.opts.runTag) {
      this.ledger.foreign++;
      return;
    }
    const n = this.ledger.deliver(subscription, env.producer, env.seq, env.key);
    if (n === 0) return;
    this.lastDeliveryAt = at;
    if (n === 1) {
      this.distinct[subscription]++;
      const e2e = at - env.intendedAt;
      const phase = this.phaseOf(env.intendedAt);
      if (!this.opts.excluded.has(phase)) recordMs(this.overall.e2e, e2e);
      recordMs(this.perPhase[phase].e2e, e2e);
      this.intervals.recordE2e(e2e);
      this.intervals.delivered++;
      this.phaseCounts.delivered[phase]++;
    }
    if (!(this.opts.dedupeEffects && this.ledger.effectsOf(subscription, env.producer, env.seq) > 0)) {
      this.ledger.applyEffect(subscription, env.producer, env.seq);
    }
  };

  /** Every subscription has received at least as many distinct events as were acknowledged. */
  caughtUp(): boolean {
    return this.distinct.every((d) => d >= this.acked);
  }

  destroy(): void {
    this.overall.destroy();
    for (const p of this.perPhase) p.destroy();
    this.intervals.destroy();
  }
}
