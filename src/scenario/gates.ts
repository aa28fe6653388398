// The gate language: `metric op value` over result fields (`lost == 0`, `e2e.p99 < 250ms`),
// optionally scoped to a phase. The one registry of gate metrics: the parser, the reference and the
// checker read it. Judging a gate is the checker's (src/check/gates.ts).
import { parseDuration, parseFraction, parseRate } from '../units.js';

export const COUNT_METRICS = [
  'attempted',
  'acked',
  'failed',
  'indeterminate',
  'delivered',
  'lost',
  'duplicated',
  'duplicateDeliveries',
  'recovered',
  'unexpected',
  'deadLettered',
  'poisoned',
  'pending',
  'unseen',
  'skipped',
  'duplicateWrites',
  'overwritten',
  'redelivered',
  'nonmonotonic',
  'readGaps',
  'reordered',
  'effects',
  'idempotencyViolations',
  'rebalances',
  'crashes',
  'reconnects',
] as const;
/** Counts of what the clients reported (result.json clientEvents): known with or without events sent. */
export const CLIENT_EVENT_METRICS = ['rebalances', 'crashes', 'reconnects'];
export const LATENCY_METRICS = ['publish', 'scheduleLag', 'e2e'] as const;
export const LATENCY_STATS = ['min', 'mean', 'p50', 'p90', 'p99', 'p999', 'max'] as const;
export const THROUGHPUT_METRICS = { attempted: 'attemptedPerSec', acked: 'ackedPerSec', delivered: 'deliveredPerSec' } as const;

export type Op = '<=' | '>=' | '==' | '!=' | '<' | '>';

export type MetricKind = 'count' | 'latency' | 'throughput' | 'recovery' | 'lag';
export const LAG_STATS = ['max', 'final'] as const;

/** Whether a gate reads anything a consumer observes (meaningless in a publish-only run). */
export function needsDeliveries(g: ParsedGate): boolean {
  const [head, stat] = g.metric.split('.');
  if (g.kind === 'count') return !['attempted', 'acked', 'failed', 'indeterminate'].includes(head) && !CLIENT_EVENT_METRICS.includes(head);
  if (g.kind === 'latency') return head === 'e2e';
  if (g.kind === 'throughput') return stat === 'delivered';
  // recovery is judged on delivered/s and e2e p99; lag is the consumers' backlog
  return true;
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
  else return `unknown metric '${metric}': use one of ${COUNT_METRICS.join(', ')}, ${LATENCY_METRICS.map((l) => `${l}.{${LATENCY_STATS.join('|')}}`).join(', ')}, throughput.{attempted|acked|delivered}, recovery.max, lag.{max|final}`;

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

/** Every gate metric with what it reads, for the scenario reference (generated from this list). */
export function gateMetrics(): { metric: string; unit: string }[] {
  return [
    ...COUNT_METRICS.map((m) => ({ metric: m, unit: CLIENT_EVENT_METRICS.includes(m) ? 'events the clients reported (result.json clientEvents)' : 'a count, or a percentage of attempted events (`0.1%`)' })),
    ...LATENCY_METRICS.flatMap((m) => LATENCY_STATS.map((s) => ({ metric: `${m}.${s}`, unit: 'a duration (`250ms`)' }))),
    ...Object.keys(THROUGHPUT_METRICS).map((m) => ({ metric: `throughput.${m}`, unit: 'a rate (`900/s`)' })),
    { metric: 'recovery.max', unit: 'a duration: the longest recovery after a fault (run-wide only)' },
    ...LAG_STATS.map((s) => ({ metric: `lag.${s}`, unit: "events in the consumers' backlog as the broker reported it" })),
  ];
}
