// The highest rate a target sustains under a latency bound: a stepped search (double until a step
// fails, then bisect), confirmed by a longer hold at the rate found. A step sustains its rate when
// acked and delivered rates stay within 5% of it, e2e p99 stays under the bound (a growing backlog
// shows there first), and the load generator itself keeps up (schedule lag p99 under the bound).
// In a publish-only scenario (workload.subscriptions 0) the bound is on publish p99 and acks alone.
import type { RunResult } from './result.js';
import { runScenario } from './run/index.js';
import type { Scenario } from './scenario/schema.js';

export interface CapacityOptions {
  target?: string;
  /** e2e p99 bound, ms. */
  p99Ms: number;
  stepMs: number;
  holdMs: number;
  startRate: number;
  maxRate: number;
  signal?: AbortSignal;
  onStep?: (s: CapacityStep) => void;
  /** Write the confirming holds as run folders here (`compare --capacity` shows them side by side). */
  outDir?: string;
}

export interface CapacityStep {
  rate: number;
  kind: 'search' | 'confirm';
  passed: boolean;
  ackedPerSec: number;
  deliveredPerSec: number;
  e2eP99: number;
  scheduleLagP99: number;
  why?: string;
}

export interface CapacityResult {
  /** Events/s sustained (confirmed), or null if not even the start rate was. */
  rate: number | null;
  p99Ms: number;
  steps: CapacityStep[];
  /** True when the search reached maxRate without a failing step: the ceiling is above it. */
  capped: boolean;
  /** The hold that confirmed the rate, when it was written (outDir): its result and folder. */
  hold?: { result: RunResult; dir: string | null };
}

export async function findCapacity(scenario: Scenario, o: CapacityOptions): Promise<CapacityResult> {
  const steps: CapacityStep[] = [];
  // A publish-only scenario (no subscriptions) is bounded by publish p99 instead of e2e p99.
  const publishOnly = scenario.workload.subscriptions === 0;
  let hold: CapacityResult['hold'];
  const step = async (rate: number, kind: CapacityStep['kind'], ms: number): Promise<boolean> => {
    // What a step must sustain, as gates: the checkers judge it like any run's.
    const bound = `${o.p99Ms}ms`;
    const least = `${Math.round(0.95 * rate * 1000) / 1000}/s`;
    const gates = [`throughput.acked >= ${least}`, ...(publishOnly ? [`publish.p99 <= ${bound}`] : [`throughput.delivered >= ${least}`, `e2e.p99 <= ${bound}`]), `scheduleLag.p99 <= ${bound}`];
    const s: Scenario = {
      ...scenario,
      workload: { ...scenario.workload, rate, duration: ms, warmup: Math.min(1000, ms / 3) },
      faults: [],
      gates,
      drain: { quiet: 500, deadline: 10_000 },
    };
    const keep = kind === 'confirm' && o.outDir !== undefined;
    const { result: r, dir } = await runScenario(s, { target: o.target, write: keep, outDir: o.outDir, signal: o.signal });
    const why = [...r.gates.filter((g) => !g.passed).map((g) => `${g.expr.replace(/ (<=|>=) .*$/, '')} ${g.value === null ? (g.error ?? 'no value') : Math.round(g.value * 1000) / 1000}`), ...(r.status === 'aborted' ? ['aborted'] : [])];
    const entry: CapacityStep = { rate: Math.round(rate), kind, passed: why.length === 0, ackedPerSec: r.throughput.ackedPerSec, deliveredPerSec: r.throughput.deliveredPerSec, e2eP99: r.latency.e2e.p99, scheduleLagP99: r.latency.scheduleLag.p99, ...(why.length ? { why: why.join(', ') } : {}) };
    steps.push(entry);
    if (keep && entry.passed) hold = { result: r, dir };
    o.onStep?.(entry);
    return entry.passed;
  };

  let lo = 0;
  let hi = 0;
  for (let rate = o.startRate; rate <= o.maxRate && !o.signal?.aborted; rate = Math.min(rate * 2, rate < o.maxRate ? o.maxRate : Infinity)) {
    if (await step(rate, 'search', o.stepMs)) lo = rate;
    else {
      hi = rate;
      break;
    }
    if (rate === o.maxRate) break;
  }
  if (lo === 0) return { rate: null, p99Ms: o.p99Ms, steps, capped: false };
  if (hi === 0) return { rate: lo, p99Ms: o.p99Ms, steps, capped: true };
  // Capped searches are not held: a hold at maxRate says nothing about the ceiling.
  while (hi / lo > 1.05 && !o.signal?.aborted) {
    const mid = Math.sqrt(lo * hi);
    if (await step(mid, 'search', o.stepMs)) lo = mid;
    else hi = mid;
  }
  // Hold at the rate found; step down 10% at a time (at most 3) until a hold passes.
  for (let i = 0; i < 3 && !o.signal?.aborted; i++) {
    if (await step(lo, 'confirm', o.holdMs)) return { rate: Math.round(lo), p99Ms: o.p99Ms, steps, capped: false, ...(hold ? { hold } : {}) };
    lo *= 0.9;
  }
  return { rate: null, p99Ms: o.p99Ms, steps, capped: false };
}
