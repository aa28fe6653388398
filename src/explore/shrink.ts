// Shrinking a failing fault schedule on a real, flaky system. Each candidate is judged by running it:
// a step is accepted on the first run that fails with the same signature and rejected after
// `rejectAfter` passing runs (chosen from the failure's reproduction rate). The steps, in order:
// Zeller's ddmin over the faults, shorter windows, simpler targets, a lower rate, a compacted
// timeline. Every few accepted steps the current best is run again; if it no longer fails, the
// shrinker backtracks to the last schedule that did. A candidate without the cause never fails, so
// the result always holds the cause; with a flaky failure it may keep a fault it did not need.
import type { Fault, Schedule } from './schedule.js';
import { describeSchedule, sortFaults } from './schedule.js';

/** One run of a candidate: true when it failed with the signature being shrunk. */
export type Oracle = (s: Schedule) => Promise<boolean>;

export interface ShrinkOptions {
  /** Passing runs after which a candidate is rejected. */
  rejectAfter: number;
  /** Run the best again after this many accepted steps (default 3). */
  recheckEvery?: number;
  /** The shortest window and the lowest load multiplier the shrinker may try. */
  windowMin: number;
  rateMin: number;
  /** Simpler targets for a fault's target, simplest first (e.g. random-node → leader). */
  simpler?: (f: Fault) => Partial<Fault>[];
  /** True once the budget is spent: the best so far is returned. */
  stop?: () => boolean;
  onStep?: (step: ShrinkStep) => void;
}

export interface ShrinkStep {
  what: string;
  schedule: string;
  accepted: boolean;
  /** Runs this step took. */
  runs: number;
  /** For a backtrack: the schedule returned to. */
  backtrack?: boolean;
}

export interface Shrunk {
  minimal: Schedule;
  steps: ShrinkStep[];
  runs: number;
  /** The ddmin phase's candidate tests (for the bound on runs). */
  ddminTests: number;
}

export async function shrink(start: Schedule, oracle: Oracle, o: ShrinkOptions): Promise<Shrunk> {
  const s = new Shrinker({ ...start, faults: sortFaults(start.faults) }, oracle, o);
  await s.ddmin();
  await s.shorterWindows();
  await s.simplerTargets();
  await s.lowerRate();
  await s.compactTimeline();
  return { minimal: s.best, steps: s.steps, runs: s.runs, ddminTests: s.ddminTests };
}

class Shrinker {
  checkpoint: Schedule;
  sinceCheck = 0;
  runs = 0;
  ddminTests = 0;
  readonly steps: ShrinkStep[] = [];

  constructor(
    public best: Schedule,
    private readonly oracle: Oracle,
    private readonly o: ShrinkOptions,
  ) {
    this.checkpoint = best;
  }

  stopped(): boolean {
    return this.o.stop?.() ?? false;
  }

  private note(s: ShrinkStep): void {
    this.steps.push(s);
    this.o.onStep?.(s);
  }

  /** Runs a candidate until it fails (true) or passes rejectAfter times (false). */
  private async reproduces(c: Schedule): Promise<{ failed: boolean; used: number }> {
    let used = 0;
    while (used < this.o.rejectAfter && !this.stopped()) {
      used++;
      this.runs++;
      if (await this.oracle(c)) return { failed: true, used };
    }
    return { failed: false, used };
  }

  /** Tries a candidate; on success it is the best, re-checked every few accepted steps (backtracking if it stopped failing). */
  private async attempt(c: Schedule, what: string): Promise<boolean> {
    if (this.stopped()) return false;
    const { failed, used } = await this.reproduces(c);
    this.note({ what, schedule: describeSchedule(c), accepted: failed, runs: used });
    if (!failed) return false;
    this.best = c;
    if (++this.sinceCheck < (this.o.recheckEvery ?? 3)) return true;
    this.sinceCheck = 0;
    const again = await this.reproduces(this.best);
    if (again.failed) {
      this.checkpoint = this.best;
      return true;
    }
    this.best = this.checkpoint;
    this.note({ what: 'the best no longer fails: back to the last schedule that did', schedule: describeSchedule(this.best), accepted: false, runs: again.used, backtrack: true });
    return false;
  }

  /** Zeller's ddmin over the faults: a chunk alone, else a complement, else finer chunks. */
  async ddmin(): Promise<void> {
    let n = 2;
    while (this.best.faults.length >= 2 && !this.stopped()) {
      const faults = this.best.faults;
      const chunks = split(faults, Math.min(n, faults.length));
      let reduced = false;
      for (const chunk of chunks) {
        this.ddminTests++;
        if ((reduced = await this.attempt({ ...this.best, faults: chunk }, `keep ${chunk.length} of ${faults.length} faults`))) {
          n = 2;
          break;
        }
      }
      for (const chunk of !reduced && chunks.length > 2 ? chunks : []) {
        this.ddminTests++;
        if ((reduced = await this.attempt({ ...this.best, faults: faults.filter((f) => !chunk.includes(f)) }, `drop ${chunk.length} of ${faults.length} faults`))) {
          n = Math.max(n - 1, 2);
          break;
        }
      }
      if (reduced) continue;
      if (n >= faults.length) break;
      n = Math.min(2 * n, faults.length);
    }
  }

  /** Each window halved while it still fails, down to the shortest allowed. */
  async shorterWindows(): Promise<void> {
    for (let i = 0; i < this.best.faults.length && !this.stopped(); i++) {
      while (this.best.faults[i].length > this.o.windowMin && !this.stopped()) {
        const from = this.best.faults[i].length;
        const length = Math.max(this.o.windowMin, Math.round(from / 2));
        if (!(await this.attempt(withFault(this.best, i, { length }), `fault ${i + 1}: window ${from} → ${length} ms`))) break;
      }
    }
  }

  /** Simpler aims, simplest first. */
  async simplerTargets(): Promise<void> {
    for (let i = 0; i < this.best.faults.length && this.o.simpler && !this.stopped(); i++) {
      const f = this.best.faults[i];
      for (const change of this.o.simpler(f)) if (await this.attempt(withFault(this.best, i, change), `fault ${i + 1}: ${Object.values(change).join(' ')} instead of ${f.target}${f.mode ? ` ${f.mode}` : ''}`)) break;
    }
  }

  /** The lowest load first, then halfway toward it. */
  async lowerRate(): Promise<void> {
    const min = this.o.rateMin;
    while (this.best.rate > min + 0.005 && !this.stopped()) {
      const from = this.best.rate;
      if (await this.attempt({ ...this.best, rate: min }, `load ×${from.toFixed(2)} → ×${min.toFixed(2)}`)) break;
      const half = Math.round(((from + min) / 2) * 100) / 100;
      if (half >= from || !(await this.attempt({ ...this.best, rate: half }, `load ×${from.toFixed(2)} → ×${half.toFixed(2)}`))) break;
    }
  }

  /** Each fault right after the one before (the first at 0); else each earlier by half. */
  async compactTimeline(): Promise<void> {
    const compact = compacted(this.best.faults);
    if (this.stopped() || compact.every((f, i) => f.at === this.best.faults[i].at)) return;
    if (await this.attempt({ ...this.best, faults: compact }, 'compact the timeline')) return;
    for (let i = 0; i < this.best.faults.length && !this.stopped(); i++) {
      const floor = i ? this.best.faults[i - 1].at + this.best.faults[i - 1].length : 0;
      const at = Math.round((this.best.faults[i].at + floor) / 2);
      if (at < this.best.faults[i].at) await this.attempt(withFault(this.best, i, { at }), `fault ${i + 1}: start ${this.best.faults[i].at} → ${at} ms`);
    }
  }
}

/** ddmin's n chunks of (nearly) equal size, in order. */
function split<T>(items: T[], n: number): T[][] {
  const out: T[][] = [];
  let from = 0;
  for (let i = 0; i < n; i++) {
    const to = from + Math.floor((items.length - from) / (n - i));
    out.push(items.slice(from, to));
    from = to;
  }
  return out.filter((c) => c.length > 0);
}

function withFault(s: Schedule, i: number, change: Partial<Fault>): Schedule {
  return { ...s, faults: s.faults.map((f, j) => (j === i ? { ...f, ...change } : f)) };
}

function compacted(faults: Fault[]): Fault[] {
  let end = 0;
  return faults.map((f) => {
    const g = { ...f, at: end };
    end = g.at + g.length;
    return g;
  });
}
