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
  let best: Schedule = { ...start, faults: sortFaults(start.faults) };
  let checkpoint = best;
  let sinceCheck = 0;
  let runs = 0;
  let ddminTests = 0;
  const steps: ShrinkStep[] = [];
  const stopped = () => o.stop?.() ?? false;
  const note = (s: ShrinkStep) => {
    steps.push(s);
    o.onStep?.(s);
  };

  /** Runs a candidate until it fails (true) or passes rejectAfter times (false). */
  const reproduces = async (c: Schedule): Promise<{ failed: boolean; used: number }> => {
    let used = 0;
    while (used < o.rejectAfter && !stopped()) {
      used++;
      runs++;
      if (await oracle(c)) return { failed: true, used };
    }
    return { failed: false, used };
  };

  const attempt = async (c: Schedule, what: string): Promise<boolean> => {
    if (stopped()) return false;
    const { failed, used } = await reproduces(c);
    note({ what, schedule: describeSchedule(c), accepted: failed, runs: used });
    if (!failed) return false;
    best = c;
    if (++sinceCheck >= (o.recheckEvery ?? 3)) {
      sinceCheck = 0;
      const again = await reproduces(best);
      if (again.failed) checkpoint = best;
      else {
        best = checkpoint;
        note({ what: 'the best no longer fails: back to the last schedule that did', schedule: describeSchedule(best), accepted: false, runs: again.used, backtrack: true });
        return false;
      }
    }
    return true;
  };

  // 1. ddmin over the faults
  let n = 2;
  while (best.faults.length >= 2 && !stopped()) {
    const faults = best.faults;
    const chunks = split(faults, Math.min(n, faults.length));
    let reduced = false;
    for (const chunk of chunks) {
      ddminTests++;
      if (await attempt({ ...best, faults: chunk }, `keep ${chunk.length} of ${faults.length} faults`)) {
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && chunks.length > 2) {
      for (const chunk of chunks) {
        const rest = faults.filter((f) => !chunk.includes(f));
        ddminTests++;
        if (await attempt({ ...best, faults: rest }, `drop ${chunk.length} of ${faults.length} faults`)) {
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (n >= faults.length) break;
      n = Math.min(2 * n, faults.length);
    }
  }

  // 2. shorter windows: halve each while it still fails
  for (let i = 0; i < best.faults.length && !stopped(); i++) {
    while (best.faults[i].length > o.windowMin && !stopped()) {
      const length = Math.max(o.windowMin, Math.round(best.faults[i].length / 2));
      if (!(await attempt(withFault(best, i, { length }), `fault ${i + 1}: window ${best.faults[i].length} → ${length} ms`))) break;
    }
  }

  // 3. simpler targets, simplest first
  for (let i = 0; i < best.faults.length && o.simpler && !stopped(); i++) {
    for (const change of o.simpler(best.faults[i])) {
      if (await attempt(withFault(best, i, change), `fault ${i + 1}: ${Object.values(change).join(' ')} instead of ${best.faults[i].target}${best.faults[i].mode ? ` ${best.faults[i].mode}` : ''}`)) break;
    }
  }

  // 4. a lower rate: the lowest first, then halfway
  while (best.rate > o.rateMin + 0.005 && !stopped()) {
    const lowest = await attempt({ ...best, rate: o.rateMin }, `load ×${best.rate.toFixed(2)} → ×${o.rateMin.toFixed(2)}`);
    if (lowest) break;
    const half = Math.round(((best.rate + o.rateMin) / 2) * 100) / 100;
    if (half >= best.rate || !(await attempt({ ...best, rate: half }, `load ×${best.rate.toFixed(2)} → ×${half.toFixed(2)}`))) break;
  }

  // 5. a compacted timeline: each fault right after the one before (the first at 0), else each earlier by half
  const compact = compacted(best.faults);
  if (!stopped() && compact.some((f, i) => f.at !== best.faults[i].at)) {
    if (!(await attempt({ ...best, faults: compact }, 'compact the timeline'))) {
      for (let i = 0; i < best.faults.length && !stopped(); i++) {
        const floor = i ? best.faults[i - 1].at + best.faults[i - 1].length : 0;
        const at = Math.round((best.faults[i].at + floor) / 2);
        if (at < best.faults[i].at) await attempt(withFault(best, i, { at }), `fault ${i + 1}: start ${best.faults[i].at} → ${at} ms`);
      }
    }
  }
  return { minimal: best, steps, runs, ddminTests };
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
