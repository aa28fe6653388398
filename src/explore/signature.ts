// A run's failure signature: which verdicts and gates failed, e.g. "delivery:lost + gate:e2e.p99".
// Shrinking keeps it, so it cannot slide into a different bug. A verdict that is unknown (our own
// consumer stalled, no final read) or a run that ended in an error is never a failure: it is
// inconclusive, and a shrink step is never accepted on it.
import type { RunResult } from '../result.js';

export type Outcome = { kind: 'passed' } | { kind: 'failed'; signature: string } | { kind: 'inconclusive'; why: string };

/**
 * The delivery counts that make its verdict false: lost and unexpected. Duplicates are at-least-once
 * working (they never fail the verdict, and their number varies from run to run), and overwritten is
 * a detail of lost: neither is part of a signature (a gate on them is).
 */
const DELIVERY_PARTS = ['lost', 'unexpected'] as const;

export function outcomeOf(r: RunResult): Outcome {
  if (r.status === 'error' || r.status === 'aborted') return { kind: 'inconclusive', why: r.error ?? r.status };
  const parts: string[] = [];
  for (const [name, v] of Object.entries(r.verdicts ?? {})) {
    if (v.valid !== false) continue;
    if (name === 'delivery') {
      const which = DELIVERY_PARTS.filter((k) => (r.counts[k] ?? 0) > 0);
      parts.push(...(which.length ? which.map((k) => `delivery:${k}`) : ['delivery']));
    } else parts.push(name);
  }
  for (const g of r.gates) if (!g.passed && g.verdict !== 'unknown') parts.push(`gate:${g.phase ? `${g.phase}:` : ''}${g.expr.split(/\s*(<=|>=|==|!=|<|>)/)[0].trim()}`);
  if (parts.length) return { kind: 'failed', signature: [...new Set(parts)].sort().join(' + ') };
  if (r.verdict === 'unknown') return { kind: 'inconclusive', why: Object.entries(r.verdicts ?? {}).find(([, v]) => v.valid === 'unknown')?.[1].why ?? 'a verdict is unknown' };
  return { kind: 'passed' };
}
