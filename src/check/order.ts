// The order checker: per subscription, a first delivery whose sequence number is lower than one already
// delivered for the same producer and key is reordered. Valid unless the scenario expects order per key
// (`expect.ordering: per-key`) and something was reordered.
import type { History } from '../observe/history.js';
import type { RunPlan } from '../plan/plan.js';
import { pushSample, type Sample, type Verdict } from './verdict.js';
import { expectedDelivery, sendIndex } from './views.js';

export type OrderVerdict = Verdict<{ reordered: number; perSubscription: number[] }, { reordered: Sample[] }>;

export function checkOrder(h: History, plan: RunPlan): OrderVerdict {
  const sends = sendIndex(h);
  const { subscriptions: S, producers: P, keys: K } = h.meta;
  const last = new Int32Array(S * P * K).fill(-1);
  const seen = Array.from({ length: S }, () => Array.from(sends.count, (n) => new Uint8Array(n)));
  const perSubscription = new Array<number>(S).fill(0);
  const samples: Sample[] = [];
  for (const b of h.deliveries()) {
    const s = b.subscription;
    if (s >= S) continue;
    for (let i = 0; i < b.n; i++) {
      const p = b.producer[i];
      const seq = b.seq[i];
      const key = b.key[i];
      if (key >= K || expectedDelivery(sends, p, seq) !== 'ok') continue;
      const firstTime = seen[s][p][seq] === 0;
      seen[s][p][seq] = 1;
      const slot = (s * P + p) * K + key;
      if (seq > last[slot]) last[slot] = seq;
      else if (firstTime && seq < last[slot]) {
        perSubscription[s]++;
        pushSample(samples, p, seq, key, s);
      }
    }
  }
  const reordered = perSubscription.reduce((a, b) => a + b, 0);
  const expected = plan.scenario.expect.ordering === 'per-key';
  return { valid: !expected || reordered === 0, ...(expected && reordered ? { why: `expect.ordering per-key: ${reordered} events reordered` } : {}), counts: { reordered, perSubscription }, samples: { reordered: samples } };
}
