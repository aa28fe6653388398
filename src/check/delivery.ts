// The delivery checker: a pure function of the ledger (after Jepsen's total-queue checker).
import { Outcome, type Ledger, type Sample } from '../observe/ledger.js';

export interface DeliveryCounts {
  attempted: number;
  acked: number;
  failed: number;
  indeterminate: number;
  delivered: number;
  lost: number;
  duplicated: number;
  duplicateDeliveries: number;
  recovered: number;
  unexpected: number;
  reordered: number;
  effects: number;
  idempotencyViolations: number;
}

export interface LostSplit {
  /** Sent before the first event this subscription received from that producer. */
  beforeFirstDelivery: number;
  betweenDeliveries: number;
  /** Sent after the last delivered one: may only be a slow reader. */
  afterLastDelivery: number;
}

export interface DeliveryVerdict {
  counts: DeliveryCounts;
  lostSplit: LostSplit;
  subscriptions: (Omit<DeliveryCounts, 'attempted' | 'acked' | 'failed' | 'indeterminate'> & { subscription: number })[];
  foreign: number;
  samples: { lost: Sample[]; duplicated: Sample[]; reordered: Sample[]; unexpected: string[]; idempotencyViolations: Sample[] };
}

const SAMPLES = 100;

export function checkDelivery(ledger: Ledger, keyOf?: (producer: number, seq: number) => number): DeliveryVerdict {
  const counts: DeliveryCounts = { attempted: 0, acked: 0, failed: 0, indeterminate: 0, delivered: 0, lost: 0, duplicated: 0, duplicateDeliveries: 0, recovered: 0, unexpected: 0, reordered: 0, effects: 0, idempotencyViolations: 0 };
  const lostSplit: LostSplit = { beforeFirstDelivery: 0, betweenDeliveries: 0, afterLastDelivery: 0 };
  const samples: DeliveryVerdict['samples'] = { lost: [], duplicated: [], reordered: ledger.reorderSamples.slice(0, SAMPLES), unexpected: ledger.unexpectedSamples.slice(0, SAMPLES), idempotencyViolations: [] };
  const sample = (list: Sample[], producer: number, seq: number, subscription: number) => {
    if (list.length < SAMPLES) list.push({ id: `${producer}:${seq}`, producer, seq, subscription, key: keyOf ? keyOf(producer, seq) : -1 });
  };

  for (let p = 0; p < ledger.producers; p++) {
    const n = ledger.sent[p];
    for (let seq = 0; seq < n; seq++) {
      const o = ledger.outcomeOf(p, seq);
      counts.attempted++;
      if (o === Outcome.ok) counts.acked++;
      else if (o === Outcome.failed) counts.failed++;
      else counts.indeterminate++; // includes sends never answered (still pending at the end)
    }
  }

  const subscriptions: DeliveryVerdict['subscriptions'] = [];
  for (let s = 0; s < ledger.subscriptions; s++) {
    const sub = { subscription: s, delivered: 0, lost: 0, duplicated: 0, duplicateDeliveries: 0, recovered: 0, unexpected: ledger.unexpected[s], reordered: ledger.reordered[s], effects: 0, idempotencyViolations: 0 };
    for (let p = 0; p < ledger.producers; p++) {
      const n = ledger.sent[p];
      let first = -1;
      let last = -1;
      for (let seq = 0; seq < n; seq++) {
        if (ledger.deliveriesOf(s, p, seq) > 0) {
          if (first < 0) first = seq;
          last = seq;
        }
      }
      for (let seq = 0; seq < n; seq++) {
        const d = ledger.deliveriesOf(s, p, seq);
        const o = ledger.outcomeOf(p, seq);
        if (d > 0) {
          sub.delivered++;
          if (d > 1) {
            sub.duplicated++;
            sub.duplicateDeliveries += d - 1;
            sample(samples.duplicated, p, seq, s);
          }
          if (o !== Outcome.ok) sub.recovered++;
        } else if (o === Outcome.ok) {
          sub.lost++;
          sample(samples.lost, p, seq, s);
          if (first < 0 || seq < first) lostSplit.beforeFirstDelivery++;
          else if (seq > last) lostSplit.afterLastDelivery++;
          else lostSplit.betweenDeliveries++;
        }
        const e = ledger.effectsOf(s, p, seq);
        sub.effects += e;
        if (e > 1) {
          sub.idempotencyViolations++;
          sample(samples.idempotencyViolations, p, seq, s);
        }
      }
    }
    subscriptions.push(sub);
    for (const k of ['delivered', 'lost', 'duplicated', 'duplicateDeliveries', 'recovered', 'unexpected', 'reordered', 'effects', 'idempotencyViolations'] as const) counts[k] += sub[k];
  }
  return { counts, lostSplit, subscriptions, foreign: ledger.foreign, samples };
}
