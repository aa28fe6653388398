// What the run shows live metrics (--metrics) while it runs: the recorder's totals, the last second,
// the broker's lag and which fault windows are open.
import type { Nemesis } from '../nemesis/nemesis.js';
import type { LagSampler } from '../observe/lag.js';
import type { Recorder } from '../observe/recorder.js';
import { bucketsOf, type LiveSample } from '../report/live.js';

export function liveSample(rec: Recorder, lag: LagSampler, nemesis: Nemesis, o: { runId: string; target: string; subscriptions: number }): () => LiveSample {
  return () => {
    const t = rec.totals!;
    const last = rec.intervals.closed[rec.intervals.closed.length - 1];
    let awaiting = 0;
    for (let s = 0; s < o.subscriptions; s++) awaiting += Math.max(0, rec.acked - rec.ackedDelivered[s]);
    return {
      run: o.runId,
      target: o.target,
      attempted: t.attempted,
      acked: t.acked,
      failed: t.failed,
      indeterminate: t.indeterminate,
      delivered: t.delivered,
      duplicateDeliveries: t.duplicateDeliveries,
      unexpected: t.unexpected,
      inFlight: rec.inFlight,
      awaitingDelivery: awaiting,
      lastSecond: last ? { attempted: last.attempted, acked: last.acked, delivered: last.delivered } : null,
      lag: lag.latest,
      faults: nemesis.entries().map((f) => ({ id: f.id, label: f.label, kind: f.kind, active: f.applied && !(f.endMs >= 0) })),
      publish: bucketsOf(t.publish),
      e2e: bucketsOf(t.e2e),
    };
  };
}
