// Every checker, in one typed registry: each is a pure function of (history, plan). A checker that
// throws yields no verdict (unknown), never a pass.
import type { History } from '../observe/history.js';
import type { RunPlan } from '../plan/plan.js';
import { checkDelivery } from './delivery.js';
import { checkEffects } from './effects.js';
import { checkLag } from './lag.js';
import { checkLatency } from './latency.js';
import { checkOrder } from './order.js';
import { checkRecovery } from './recovery.js';
import { checkThroughput } from './throughput.js';
import type { Valid } from './verdict.js';

export const checkers = {
  delivery: checkDelivery,
  order: checkOrder,
  effects: checkEffects,
  latency: checkLatency,
  throughput: checkThroughput,
  recovery: checkRecovery,
  lag: checkLag,
} as const;

export type CheckerName = keyof typeof checkers;
export type Verdicts = { [K in CheckerName]: ReturnType<(typeof checkers)[K]> | null };

export interface Checked {
  verdicts: Verdicts;
  /** Per checker: valid, and why when not true. */
  summary: Record<CheckerName, { valid: Valid; why?: string }>;
}

export function checkAll(h: History, plan: RunPlan): Checked {
  const verdicts = {} as Record<CheckerName, unknown>;
  const summary = {} as Checked['summary'];
  for (const name of Object.keys(checkers) as CheckerName[]) {
    try {
      const v = checkers[name](h, plan);
      verdicts[name] = v;
      summary[name] = { valid: v.valid, ...(v.why ? { why: v.why } : {}) };
    } catch (err) {
      verdicts[name] = null;
      summary[name] = { valid: 'unknown', why: `the ${name} checker failed: ${(err as Error).message}` };
    }
  }
  return { verdicts: verdicts as Verdicts, summary };
}
