// Gates: thresholds over result fields (`lost == 0`, `e2e.p99 < 250ms`), optionally scoped to a phase.
import { parseDuration, parseFraction, parseRate } from '../units.js';
import type { Valid } from './verdict.js';

export const COUNT_METRICS = ['attempted', 'acked', 'failed', 'indeterminate', 'delivered', 'lost', 'duplicated', 'duplicateDeliveries', 'recovered', 'unexpected', 'deadLettered', 'poisoned', 'pending', 'reordered', 'effects', 'idempotencyViolations', 'rebalances', 'crashes', 'reconnects'] as const;
/** Counts of what the clients reported (result.json clientEvents): known with or without events sent. */
const CLIENT_EVENT_METRICS = ['rebalances', 'crashes', 'reconnects'];
export const LATENCY_METRICS = ['publish', 'scheduleLag', 'e2e'] as const;
export const LATENCY_STATS = ['min', 'mean', 'p50', 'p90', 'p99', 'p999', 'max'] as const;
export const THROUGHPUT_METRICS = { attempted: 'attemptedPerSec', acked: 'ackedPerSec', delivered: 'deliveredPerSec' } as const;

const OPS = ['<=', '>=', '==', '!=', '<', '>'] as const;
type Op = (typeof OPS)[number];

export type MetricKind = 'count' | 'latency' | 'throughput' | 'recovery' | 'lag';
export const LAG_STATS = ['max', 'final'] as const;

/** Whether a gate reads anything a consumer observes (meaningless in a publish-only run). */
export function needsDeliveries(g: ParsedGate): boolean {
  const [head, stat] = g.metric.split('.');
  if (g.kind === 'count') return !['attempted', 'acked', 'failed', 'indeterminate'].includes(head) && !CLIENT_EVENT_METRICS.includes(head);
  if (g.kind === 'latency') return head === 'e2e';
  if (g.kind === 'throughput') return stat === 'delivered';
  return true; // recovery is judged on delivered/s and e2e p99; lag is the consumers' backlog // recovery is judged on delivered/s and e2e p99
}

export interface ParsedGate {
  expr: string;
  phase?: string;
  metric: string;
  kind: MetricKind;
  op: Op;
  /** The threshold in the metric's unit (ms, events/s, events), or a fraction of attempted for `%`. */
  threshold: number;
  relative: boolean;
  /** `baseline * f`: the threshold is f times the same metric of a stored run (--baseline). */
  baselineFactor?: number;
}

/** The values a gate can read: run-wide, or one phase's. */
export interface GateInputs {
  counts: Record<string, number>;
  latency: Record<string, Record<string, number>>;
  throughput: Record<string, number>;
  recovery?: { max: number | null; why?: string };
  /** The broker's backlog figures (null: no samples), and why there are none. */
  lag?: { max: number | null; final: number | null; why?: string };
}

export function parseGate(expr: string, phase?: string): ParsedGate | string {
  const m = expr.match(/^\s*([A-Za-z][\w.]*)\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$/);
  if (!m) return `expected 'metric op value', e.g. 'lost == 0' or 'e2e.p99 < 250ms', found '${expr}'`;
  const [, metric, op, value] = m as unknown as [string, string, Op, string];
  const [head, stat, extra] = metric.split('.');
  let kind: MetricKind;
  if ((COUNT_METRICS as readonly string[]).includes(head) && !stat) kind = 'count';
  else if ((LATENCY_METRICS as readonly string[]).includes(head) && (LATENCY_STATS as readonly string[]).includes(stat) && !extra) kind = 'latency';
  else if (head === 'throughput' && stat in THROUGHPUT_METRICS && !extra) kind = 'throughput';
  else if (head === 'recovery' && stat === 'max' && !extra) kind = 'recovery';
  else if (head === 'lag' && (LAG_STATS as readonly string[]).includes(stat) && !extra) kind = 'lag';
  else
    return `unknown metric '${metric}': use one of ${COUNT_METRICS.join(', ')}, ${LATENCY_METRICS.map((l) => `${l}.{${LATENCY_STATS.join('|')}}`).join(', ')}, throughput.{attempted|acked|delivered}, recovery.max, lag.{max|final}`;

  let threshold: number | undefined;
  let relative = false;
  const base = value.match(/^baseline(?:\s*\*\s*(\d+(?:\.\d+)?))?$/);
  if (base) return { expr: expr.trim(), phase, metric, kind, op, threshold: NaN, relative: false, baselineFactor: base[1] ? Number(base[1]) : 1 };
  if (kind === 'count' && /%\s*$/.test(value)) {
    threshold = parseFraction(value);
    relative = true;
  } else if (kind === 'latency' || kind === 'recovery') threshold = /^\d+(\.\d+)?$/.test(value) ? Number(value) : parseDuration(value);
  else if (kind === 'lag') threshold = /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
  else if (kind === 'throughput') threshold = /^\d+(\.\d+)?$/.test(value) ? Number(value) : parseRate(value);
  else threshold = /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
  if (threshold === undefined) {
    const want = { count: 'a number or a percentage of attempted events (0, 0.1%)', latency: 'a duration (250ms, 2s)', throughput: 'a rate (900/s)', recovery: 'a duration (15s)', lag: 'a number of events (1000)' }[kind];
    return `'${metric}' compares with ${want}, found '${value}'`;
  }
  return { expr: expr.trim(), phase, metric, kind, op, threshold, relative };
}

export function metricValue(g: ParsedGate, v: GateInputs): number | null {
  const [head, stat] = g.metric.split('.');
  switch (g.kind) {
    case 'count': {
      const n = v.counts[head];
      if (n === undefined) return null;
      return g.relative ? (v.counts.attempted > 0 ? n / v.counts.attempted : 0) : n;
    }
    case 'latency':
      return v.latency[head]?.[stat] ?? null;
    case 'throughput':
      return v.throughput[THROUGHPUT_METRICS[stat as keyof typeof THROUGHPUT_METRICS]] ?? null;
    case 'recovery':
      return v.recovery?.max ?? null;
    case 'lag':
      return v.lag?.[stat as 'max' | 'final'] ?? null;
  }
}

export function compare(value: number, op: Op, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return Math.abs(value - threshold) < 1e-9;
    case '!=':
      return Math.abs(value - threshold) >= 1e-9;
  }
}

export interface GateResult {
  expr: string;
  phase?: string;
  value: number | null;
  threshold: number;
  passed: boolean;
  /** true, false, or unknown: no data to judge (a gate over nothing never passes). */
  verdict: Valid;
  /** Why a gate could not be judged. */
  error?: string;
}

/** Why a metric has no data in these inputs, or null when it has. */
export function noData(g: ParsedGate, v: GateInputs, where: string): string | null {
  const [head] = g.metric.split('.');
  const attempted = v.counts.attempted;
  switch (g.kind) {
    case 'count':
      if ((['attempted', 'acked', 'failed', 'indeterminate'].includes(head) || CLIENT_EVENT_METRICS.includes(head)) && !g.relative) return null;
      return attempted > 0 ? null : `no data: ${g.metric}: no events sent${where}`;
    case 'latency': {
      if ((v.latency[head]?.count ?? 0) > 0) return null;
      const what = head === 'e2e' ? 'no deliveries' : head === 'publish' ? 'no acknowledged sends' : 'no sends';
      return `no data: ${g.metric}: ${what}${where}`;
    }
    case 'throughput':
      return attempted > 0 ? null : `no data: ${g.metric}: no events sent${where}`;
    case 'recovery':
      return v.recovery?.max === null || v.recovery?.max === undefined ? `no data: ${g.metric}: ${v.recovery?.why ?? 'no fault recovered within the run'}` : null;
    case 'lag':
      return v.lag?.max === null || v.lag?.max === undefined ? `no data: ${g.metric}: no lag samples${where}${v.lag?.why ? ` (${v.lag.why})` : ''}` : null;
  }
}

export function evaluateGate(g: ParsedGate, inputs: GateInputs | undefined, baseline?: GateInputs, phaseName?: string): GateResult {
  let threshold = g.threshold;
  const scope = g.phase ? { phase: g.phase } : {};
  const unknown = (value: number | null, error: string, t = threshold): GateResult => ({ expr: g.expr, ...scope, threshold: t, value, passed: false, verdict: 'unknown', error });
  if (g.baselineFactor !== undefined) {
    const b = baseline && metricValue(g, baseline);
    if (b === null || b === undefined) return unknown(null, `the baseline run has no ${g.metric}${g.phase ? ` in phase ${g.phase}` : ''}`, NaN);
    threshold = b * g.baselineFactor;
  }
  if (!inputs) return unknown(null, `phase '${g.phase}' did not happen in this run`);
  const empty = noData(g, inputs, phaseName ? ` in phase ${phaseName}` : '');
  if (empty) return unknown(null, empty);
  const value = metricValue(g, inputs);
  if (value === null) return unknown(null, `${g.metric} has no value${phaseName ? ` per phase (phase ${phaseName})` : ' in this run'}`);
  if (Number.isNaN(value)) return unknown(null, `${g.metric} is unknown: its checker failed`);
  const passed = compare(value, g.op, threshold);
  return { expr: g.expr, ...scope, threshold, value, passed, verdict: passed };
}
