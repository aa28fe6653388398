// Recovery time per fault: from the end of the fault until the delivered rate is back within 10% of
// the baseline's and e2e p99 within 2× the baseline's (and at least baseline + 5 ms), for 3 consecutive
// seconds (null: never, in this run).
import type { Interval } from '../observe/intervals.js';

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
