// Open-loop schedules: pure generators of intended send times (ms since the load started).
import type { Schedule } from '../scenario/schema.js';

/** The target rate (events/s, all producers together) at `t` ms into the measured part of the run. */
export type RateFn = (t: number) => number;

export function rateFunction(schedule: Schedule, durationMs: number): RateFn | null {
  if (typeof schedule === 'number') return () => schedule;
  if ('ramp' in schedule) {
    const { from, to } = schedule.ramp;
    const over = schedule.ramp.over ?? durationMs;
    return (t) => (t <= 0 ? from : t >= over ? to : from + ((to - from) * t) / over);
  }
  if ('steps' in schedule) {
    const steps = schedule.steps;
    return (t) => {
      let end = 0;
      for (const s of steps) {
        end += s.for;
        if (t < end) return s.rate;
      }
      return steps[steps.length - 1].rate;
    };
  }
  if ('spike' in schedule) {
    const { base, peak, at, for: len } = schedule.spike;
    return (t) => (t >= at && t < at + len ? peak : base);
  }
  return null; // closed loop
}

/**
 * The intended send times of one producer's events: producer `index` of `count` sends every
 * `count`-th event of the combined schedule, so producers interleave instead of sending in bursts.
 * The warmup runs at the schedule's starting rate; times are offsets from the start of the warmup.
 */
export class OpenLoopSchedule {
  private t: number;
  private readonly end: number;

  constructor(
    private readonly rate: RateFn,
    private readonly count: number,
    index: number,
    private readonly warmupMs: number,
    durationMs: number,
  ) {
    this.end = warmupMs + durationMs;
    this.t = (index * 1000) / Math.max(rate(-warmupMs), 1e-9);
  }

  /** The next intended send time (ms offset), or Infinity when the load is over. */
  next(): number {
    const t = this.t;
    if (t >= this.end) return Infinity;
    const r = this.rate(t - this.warmupMs);
    this.t = t + (this.count * 1000) / Math.max(r, 1e-9);
    return t;
  }
}

/** The number of events an open-loop schedule will send (to size the ledger); closed loop: an estimate. */
export function expectedEvents(rate: RateFn | null, warmupMs: number, durationMs: number): number {
  if (!rate) return 100_000;
  let n = 0;
  for (let t = -warmupMs; t < durationMs; t += 100) n += rate(t) / 10;
  return Math.ceil(n * 1.05);
}
