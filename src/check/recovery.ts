// Recovery time per fault: from the end of the fault until the delivered rate is back within 10% of
// the baseline's and e2e p99 within 2× the baseline's (and at least baseline + 5 ms), for 3 consecutive
// seconds (null: never, in this run).
import type { History } from '../observe/history.js';
import { runNotes } from '../observe/notes.js';
import type { Interval } from '../observe/intervals.js';
import type { RunPlan } from '../plan/plan.js';
import { checkLatency } from './latency.js';
import { checkThroughput } from './throughput.js';
import type { Verdict } from './verdict.js';

export interface Baseline {
  deliveredPerSec: number;
  e2eP99: number;
}

// A 1 ms baseline p99 would make 2× a 2 ms bar that one second of noise breaks: the bar is at least
// the baseline + 5 ms.
export const RECOVERY_RULE = { rateWithin: 0.1, p99Factor: 2, p99SlackMs: 5, seconds: 3 } as const;

export function recoveryTime(intervals: Interval[], faultEndMs: number, baseline: Baseline | null): number | null {
  if (!baseline || baseline.deliveredPerSec <= 0) return null;
  const ok = (iv: Interval) => Math.abs(iv.delivered - baseline.deliveredPerSec) <= RECOVERY_RULE.rateWithin * baseline.deliveredPerSec && iv.e2e.p99 <= Math.max(RECOVERY_RULE.p99Factor * baseline.e2eP99, baseline.e2eP99 + RECOVERY_RULE.p99SlackMs);
  // Interval t covers [t-1 s, t s) of the load; start with the first one that begins at or after the fault's end.
  const first = intervals.findIndex((iv) => (iv.t - 1) * 1000 >= faultEndMs - 1);
  if (first < 0) return null;
  for (let i = first; i + RECOVERY_RULE.seconds <= intervals.length; i++) {
    if (intervals.slice(i, i + RECOVERY_RULE.seconds).every(ok)) return Math.max(0, (intervals[i].t - 1) * 1000 - faultEndMs);
  }
  return null;
}

export type RecoveryVerdict = Verdict<{ recovery: { fault: string; recoveryMs: number | null }[]; max: number | null }, null>;

/** Recovery time of each applied fault, judged on the baseline phase's delivered rate and e2e p99. */
export function checkRecovery(h: History, plan: RunPlan): RecoveryVerdict {
  const { intervals, faults } = runNotes(h);
  const i = plan.phases.findIndex((p) => p.name === 'baseline');
  let baseline: Baseline | null = null;
  if (i >= 0) {
    const tp = checkThroughput(h, plan).counts.phases[i].throughput;
    const e2e = checkLatency(h, plan).counts.phases[i].e2e;
    baseline = e2e.count > 0 ? { deliveredPerSec: tp.deliveredPerSec, e2eP99: e2e.p99 } : null;
  }
  // Recovery is judged on delivered/s and e2e p99: a publish-only run has neither, so none is measured.
  const recovery = (plan.scenario.workload.subscriptions === 0 ? [] : plan.faults).map((w) => {
    const logged = faults.find((f) => f.id === w.id);
    const endMs = logged && logged.endMs >= 0 ? logged.endMs : w.endMs;
    return { fault: w.id, recoveryMs: logged?.applied ? recoveryTime(intervals, endMs, baseline) : null };
  });
  const max = recovery.length && recovery.every((r) => r.recoveryMs !== null) ? Math.max(...recovery.map((r) => r.recoveryMs as number)) : null;
  return { valid: true, counts: { recovery, max }, samples: null };
}
