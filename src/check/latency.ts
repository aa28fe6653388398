// The latency checker: publish, schedule lag and end-to-end latency for the run and each phase, from the
// replayed histograms. It judges nothing itself (gates do), but an empty histogram is reported as no
// data (count 0), which a gate turns into unknown, never a pass.
import type { History } from '../observe/history.js';
import { encodeHistogram, summarize, type LatencySummary } from '../observe/histograms.js';
import type { RunPlan } from '../plan/plan.js';
import { replay } from './series.js';
import type { Verdict } from './verdict.js';

export interface LatencyBlock {
  publish: LatencySummary;
  scheduleLag: LatencySummary;
  e2e: LatencySummary;
}

export type LatencyVerdict = Verdict<{ overall: LatencyBlock; phases: LatencyBlock[] }, null> & { histograms: { publish: string; scheduleLag: string; e2e: string } };

const block = (s: { publish: Parameters<typeof summarize>[0]; scheduleLag: Parameters<typeof summarize>[0]; e2e: Parameters<typeof summarize>[0] }): LatencyBlock => ({ publish: summarize(s.publish), scheduleLag: summarize(s.scheduleLag), e2e: summarize(s.e2e) });

export function checkLatency(h: History, plan: RunPlan): LatencyVerdict {
  const r = replay(h, plan);
  return {
    valid: true,
    counts: { overall: block(r.overall), phases: r.perPhase.map(block) },
    samples: null,
    histograms: { publish: encodeHistogram(r.overall.publish), scheduleLag: encodeHistogram(r.overall.scheduleLag), e2e: encodeHistogram(r.overall.e2e) },
  };
}
