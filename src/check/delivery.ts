// The delivery checker (after Jepsen's total-queue): from final send outcomes and every delivery, per
// subscription: lost, duplicated, recovered, unexpected. Valid when nothing acknowledged was lost and
// nothing unexpected arrived (duplicates are at-least-once's right; a gate decides if they matter).
import type { History } from '../observe/history.js';
import { Outcome } from '../observe/outcome.js';
import type { RunPlan } from '../plan/plan.js';
import { pushSample, type Sample, type Verdict } from './verdict.js';
import { deliveryIndex, sendIndex } from './views.js';
import { isPoison } from '../load/poison.js';

export interface SendCounts {
  attempted: number;
  acked: number;
  failed: number;
  indeterminate: number;
}

export interface SubscriptionCounts {
  subscription: number;
  delivered: number;
  lost: number;
  duplicated: number;
  duplicateDeliveries: number;
  recovered: number;
  unexpected: number;
  /** Acknowledged events that reached the subscription's dead-letter queue and not the subscription (not lost). */
  deadLettered: number;
  /** Acknowledged events the scenario made poison (consumer.poison): what deadLettered should be. */
  poisoned: number;
}

export interface LostSplit {
  /** Sent before the first event this subscription received from that producer. */
  beforeFirstDelivery: number;
  betweenDeliveries: number;
  /** Sent after the last delivered one: may only be a slow reader. */
  afterLastDelivery: number;
}

export type DeliveryCounts = SendCounts & Omit<SubscriptionCounts, 'subscription'>;

export interface DeliveryVerdict extends Verdict<DeliveryCounts, { lost: Sample[]; duplicated: Sample[]; unexpected: string[] }> {
  lostSplit: LostSplit;
  subscriptions: SubscriptionCounts[];
  foreign: number;
}

export function checkDelivery(h: History, plan: RunPlan): DeliveryVerdict {
  const sends = sendIndex(h);
  const del = deliveryIndex(h);
  const counts: DeliveryCounts = { attempted: 0, acked: 0, failed: 0, indeterminate: 0, delivered: 0, lost: 0, duplicated: 0, duplicateDeliveries: 0, recovered: 0, unexpected: 0, deadLettered: 0, poisoned: 0 };
  const poison = (plan.scenario as { consumer?: { poison?: { fraction: number } } }).consumer?.poison;
  // What reached each subscription's dead-letter queue (the history's dead-letters note); no index
  // at all for a run without dead letters, the common case
  const entries = (h.notes().find((n) => n.type === 'dead-letters') as { entries?: { subscription: number; producer: number; seq: number }[] } | undefined)?.entries ?? [];
  const dead = entries.length ? Array.from({ length: del.counts.length }, () => Array.from(sends.count, (n) => new Uint8Array(n))) : null;
  for (const e of entries) if (dead && e.subscription < dead.length && e.producer < sends.count.length && e.seq < sends.count[e.producer]) dead[e.subscription][e.producer][e.seq] = 1;
  const lostSplit: LostSplit = { beforeFirstDelivery: 0, betweenDeliveries: 0, afterLastDelivery: 0 };
  const samples: DeliveryVerdict['samples'] = { lost: [], duplicated: [], unexpected: del.unexpectedSamples };
  for (let p = 0; p < sends.count.length; p++) {
    const outcome = sends.outcome[p];
    for (let seq = 0; seq < sends.count[p]; seq++) {
      const o = outcome[seq];
      counts.attempted++;
      if (o === Outcome.ok) counts.acked++;
      else if (o === Outcome.failed) counts.failed++;
      // never answered (pending) and sequence numbers with no record count as indeterminate
      else counts.indeterminate++;
    }
  }
  const subscriptions: SubscriptionCounts[] = [];
  for (let s = 0; s < del.counts.length; s++) {
    const sub: SubscriptionCounts = { subscription: s, delivered: 0, lost: 0, duplicated: 0, duplicateDeliveries: 0, recovered: 0, unexpected: del.unexpected[s], deadLettered: 0, poisoned: 0 };
    for (let p = 0; p < sends.count.length; p++) {
      const d = del.counts[s][p];
      const outcome = sends.outcome[p];
      const n = sends.count[p];
      let first = -1;
      let last = -1;
      for (let seq = 0; seq < n; seq++) {
        if (d[seq] > 0) {
          if (first < 0) first = seq;
          last = seq;
        }
      }
      for (let seq = 0; seq < n; seq++) {
        const c = d[seq];
        if (poison && outcome[seq] === Outcome.ok && isPoison(plan.seed, p, seq, poison.fraction)) sub.poisoned++;
        if (c === 0 && dead?.[s][p][seq] && outcome[seq] !== Outcome.failed) {
          if (outcome[seq] === Outcome.ok) sub.deadLettered++;
          continue;
        }
        if (c > 0) {
          sub.delivered++;
          if (c > 1) {
            sub.duplicated++;
            sub.duplicateDeliveries += c - 1;
            pushSample(samples.duplicated, p, seq, sends.key[p][seq], s);
          }
          if (outcome[seq] !== Outcome.ok) sub.recovered++;
        } else if (outcome[seq] === Outcome.ok) {
          sub.lost++;
          pushSample(samples.lost, p, seq, sends.key[p][seq], s);
          if (first < 0 || seq < first) lostSplit.beforeFirstDelivery++;
          else if (seq > last) lostSplit.afterLastDelivery++;
          else lostSplit.betweenDeliveries++;
        }
      }
    }
    subscriptions.push(sub);
    for (const k of ['delivered', 'lost', 'duplicated', 'duplicateDeliveries', 'recovered', 'unexpected', 'deadLettered', 'poisoned'] as const) counts[k] += sub[k];
  }
  const checked = plan.scenario.workload.subscriptions > 0;
  const problems = [counts.lost ? `${counts.lost} acknowledged events lost` : '', counts.unexpected ? `${counts.unexpected} unexpected deliveries` : ''].filter(Boolean);
  return {
    valid: !checked ? true : counts.attempted === 0 ? 'unknown' : problems.length === 0,
    ...(checked && counts.attempted === 0 ? { why: 'no events were sent' } : problems.length ? { why: problems.join(', ') } : {}),
    counts,
    samples,
    lostSplit,
    subscriptions,
    foreign: del.foreign,
  };
}
