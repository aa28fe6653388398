// Judging gates: a parsed gate's value in a run's (or a phase's) figures, compared with its threshold;
// unknown when there is nothing to judge, never a pass. A gate over a group of phases holds only if
// every phase of it holds.
import { CLIENT_EVENT_METRICS, THROUGHPUT_METRICS, type Op, type ParsedGate } from '../scenario/gates.js';
import type { Valid } from './verdict.js';

export interface GateInputs {
  counts: Record<string, number>;
  latency: Record<string, Record<string, number>>;
  throughput: Record<string, number>;
  recovery?: { max: number | null; why?: string };
  /** The broker's backlog figures (null: no samples), and why there are none. */
  lag?: { max: number | null; final: number | null; why?: string };
  /** Counts the run had nothing to measure with (no final read, no read positions), and why. */
  unmeasured?: Record<string, string>;
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
      if (v.unmeasured?.[head]) return `no data: ${g.metric}: ${v.unmeasured[head]}${where}`;
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

/** A gate over a group of phases (`recovery`, `fault`): false if any phase fails, else unknown if any is, else the worst value. */
export function judgeGroup(g: ParsedGate, results: GateResult[]): GateResult {
  return results.find((r) => r.verdict === false) ?? results.find((r) => r.verdict === 'unknown') ?? results.reduce((w, r) => ((r.value ?? 0) > (w.value ?? 0) === g.op.startsWith('<') ? r : w));
}
