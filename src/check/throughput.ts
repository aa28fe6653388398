// The throughput checker: events per second attempted, acknowledged and delivered, for the run (warmup
// left out) and each phase, with each phase's counts.
import type { History } from '../observe/history.js';
import type { RunPlan } from '../plan/plan.js';
import { replay, type PhaseCounts } from './series.js';
import type { Verdict } from './verdict.js';

export interface Throughput {
  attemptedPerSec: number;
  ackedPerSec: number;
  deliveredPerSec: number;
}

export type ThroughputVerdict = Verdict<{ overall: Throughput; phases: { counts: PhaseCounts; throughput: Throughput }[] }, null>;

const round = (n: number) => Math.round(n * 100) / 100;
const rates = (c: PhaseCounts, ms: number): Throughput => {
  const secs = Math.max(ms, 1) / 1000;
  return { attemptedPerSec: round(c.attempted / secs), ackedPerSec: round(c.acked / secs), deliveredPerSec: round(c.delivered / secs) };
};

export function checkThroughput(h: History, plan: RunPlan): ThroughputVerdict {
  const r = replay(h, plan);
  const phases = plan.phases.map((ph, i) => ({ counts: r.phaseCounts[i], throughput: rates(r.phaseCounts[i], ph.endMs - ph.startMs) }));
  const total: PhaseCounts = { attempted: 0, acked: 0, failed: 0, indeterminate: 0, delivered: 0 };
  let ms = 0;
  plan.phases.forEach((ph, i) => {
    if (plan.excludedPhases.has(i)) return;
    ms += ph.endMs - ph.startMs;
    for (const k of Object.keys(total) as (keyof PhaseCounts)[]) total[k] += r.phaseCounts[i][k];
  });
  return { valid: true, counts: { overall: rates(total, ms), phases }, samples: null };
}
