// The effects checker: how many times each event's effect was applied per subscription. faultline's own
// consumer applies one effect per delivery, or at most one per event with `effects.dedupe`; in pipeline
// mode every delivery of the output is an effect the service under test applied. Valid unless the
// scenario expects effects exactly once (`expect.effects: exactly-once`) and one was applied twice.
import type { History } from '../observe/history.js';
import type { RunPlan } from '../plan/plan.js';
import { pushSample, type Sample, type Verdict } from './verdict.js';
import { deliveryIndex, sendIndex } from './views.js';

export type EffectsVerdict = Verdict<{ effects: number; idempotencyViolations: number; perSubscription: { effects: number; idempotencyViolations: number }[] }, { idempotencyViolations: Sample[] }>;

export function checkEffects(h: History, plan: RunPlan): EffectsVerdict {
  const sends = sendIndex(h);
  const del = deliveryIndex(h);
  const dedupe = h.meta.dedupeEffects;
  const samples: Sample[] = [];
  const perSubscription = del.counts.map((bySub, s) => {
    const sub = { effects: 0, idempotencyViolations: 0 };
    bySub.forEach((d, p) => {
      for (let seq = 0; seq < d.length; seq++) {
        const e = dedupe ? Math.min(d[seq], 1) : d[seq];
        sub.effects += e;
        if (e > 1) {
          sub.idempotencyViolations++;
          pushSample(samples, p, seq, sends.key[p][seq], s);
        }
      }
    });
    return sub;
  });
  const effects = perSubscription.reduce((n, x) => n + x.effects, 0);
  const idempotencyViolations = perSubscription.reduce((n, x) => n + x.idempotencyViolations, 0);
  const expected = plan.scenario.expect.effects === 'exactly-once';
  return {
    valid: !expected || idempotencyViolations === 0,
    ...(expected && idempotencyViolations ? { why: `expect.effects exactly-once: ${idempotencyViolations} events' effects applied more than once` } : {}),
    counts: { effects, idempotencyViolations, perSubscription },
    samples: { idempotencyViolations: samples },
  };
}
