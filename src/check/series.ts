// A replay of the history into latency histograms and counts, for the run and for each phase (by
// intended send time). Computed once per history; the latency and throughput checkers read it.
import type { History } from '../observe/history.js';
import { LatencySet, recordMs } from '../observe/histograms.js';
import { Outcome } from '../observe/outcome.js';
import { phaseAt } from '../observe/phases.js';
import type { RunPlan } from '../plan/plan.js';
import { expectedDelivery, sendIndex } from './views.js';

export interface PhaseCounts {
  attempted: number;
  acked: number;
  failed: number;
  indeterminate: number;
  delivered: number;
}

export interface Replay {
  overall: LatencySet;
  perPhase: LatencySet[];
  phaseCounts: PhaseCounts[];
}

const memo = new WeakMap<History, Replay>();

export function replay(h: History, plan: RunPlan): Replay {
  const done = memo.get(h);
  if (done) return done;
  const phases = plan.phases;
  const excluded = plan.excludedPhases;
  const overall = new LatencySet();
  const perPhase = phases.map(() => new LatencySet());
  const phaseCounts: PhaseCounts[] = phases.map(() => ({ attempted: 0, acked: 0, failed: 0, indeterminate: 0, delivered: 0 }));
  for (const b of h.sends()) {
    for (let i = 0; i < b.n; i++) {
      const ph = phaseAt(phases, b.intended[i]);
      const lag = b.sent[i] - b.intended[i];
      const pc = phaseCounts[ph];
      pc.attempted++;
      recordMs(perPhase[ph].scheduleLag, lag);
      if (!excluded.has(ph)) recordMs(overall.scheduleLag, lag);
      const o = b.outcome[i];
      if (o === Outcome.ok) {
        pc.acked++;
        const publish = b.answered[i] - b.sent[i];
        recordMs(perPhase[ph].publish, publish);
        if (!excluded.has(ph)) recordMs(overall.publish, publish);
      } else if (o === Outcome.failed) pc.failed++;
      else pc.indeterminate++;
    }
  }
  const sends = sendIndex(h);
  const seen = Array.from({ length: h.meta.subscriptions }, () => Array.from(sends.count, (n) => new Uint8Array(n)));
  for (const b of h.deliveries()) {
    const s = b.subscription;
    if (s >= seen.length) continue;
    for (let i = 0; i < b.n; i++) {
      const p = b.producer[i];
      const seq = b.seq[i];
      if (expectedDelivery(sends, p, seq) !== 'ok' || seen[s][p][seq]) continue;
      seen[s][p][seq] = 1;
      const intended = sends.intended[p][seq];
      const e2e = b.base + b.offsetUs[i] / 1000 - intended;
      const ph = phaseAt(phases, intended);
      phaseCounts[ph].delivered++;
      recordMs(perPhase[ph].e2e, e2e);
      if (!excluded.has(ph)) recordMs(overall.e2e, e2e);
    }
  }
  const r = { overall, perPhase, phaseCounts };
  memo.set(h, r);
  return r;
}

/** Frees the replay's histograms (WebAssembly memory). */
export function releaseReplay(h: History): void {
  const r = memo.get(h);
  if (!r) return;
  r.overall.destroy();
  for (const p of r.perPhase) p.destroy();
  memo.delete(h);
}
