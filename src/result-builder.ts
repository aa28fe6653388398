// History → verdicts → the RunResult: runs every checker over the history and the plan, evaluates the
// gates and ranks the verdicts. The live run and `faultline check` both come through here, so a stored
// run re-checks to the same result.
import os from 'node:os';
import type { DeliveryVerdict } from './check/delivery.js';
import { evaluateGate, judgeGroup, type GateInputs, type GateResult } from './check/gates.js';
import type { LatencyBlock as CheckedLatency } from './check/latency.js';
import { runNotes, type ClientEventEntry, type RunEnd } from './observe/notes.js';
import { checkAll, type Verdicts } from './check/registry.js';
import { releaseReplay } from './check/series.js';
import { worst, type Valid } from './check/verdict.js';
import { maskSecrets } from './mask.js';
import type { History } from './observe/history.js';
import { phasesNamed, type RunPlan } from './plan/plan.js';
import { SCHEMA_VERSION, type LatencyBlock, type PhaseResult, type RunResult, type Throughput } from './result.js';
import { VERSION } from './version.js';

export type { RunEnd };

export interface BuildInput {
  plan: RunPlan;
  history: History;
  end: RunEnd;
  baseline?: RunResult;
  /** Size of the history on disk. */
  historyBytes: number;
}

const NAN_COUNTS = {
  attempted: NaN,
  acked: NaN,
  failed: NaN,
  indeterminate: NaN,
  delivered: NaN,
  lost: NaN,
  duplicated: NaN,
  duplicateDeliveries: NaN,
  recovered: NaN,
  unexpected: NaN,
  deadLettered: NaN,
  poisoned: NaN,
  pending: NaN,
  unseen: NaN,
  skipped: NaN,
  duplicateWrites: NaN,
  overwritten: NaN,
  nonmonotonic: NaN,
  readGaps: NaN,
  redelivered: NaN,
};
const emptyLatency = () => ({ count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });

const noLatency = (): CheckedLatency => ({ publish: emptyLatency(), scheduleLag: emptyLatency(), e2e: emptyLatency() });
const zeroRate = { attemptedPerSec: NaN, ackedPerSec: NaN, deliveredPerSec: NaN };

/** Latency and throughput for the run and per phase (NaN and empty figures where their checker failed). */
function measured(plan: RunPlan, v: Verdicts): { latency: LatencyBlock; throughput: Throughput; phases: PhaseResult[] } {
  const phases: PhaseResult[] = plan.phases.map((ph, i) => ({
    name: ph.name,
    startMs: ph.startMs,
    endMs: ph.endMs,
    counts: v.throughput?.counts.phases[i].counts ?? { attempted: NaN, acked: NaN, failed: NaN, indeterminate: NaN, delivered: NaN },
    latency: v.latency?.counts.phases[i] ?? noLatency(),
    throughput: v.throughput?.counts.phases[i].throughput ?? zeroRate,
    ...(v.lag ? { lag: v.lag.counts.phases[i] } : {}),
  }));
  return { latency: v.latency?.counts.overall ?? noLatency(), throughput: v.throughput?.counts.overall ?? zeroRate, phases };
}

/** What a result says of delivery when its checker failed: not a number, nothing sampled. */
const NO_DELIVERY: Pick<DeliveryVerdict, 'counts' | 'lostSplit' | 'subscriptions' | 'foreign' | 'samples' | 'positions' | 'unmeasured'> = {
  positions: null,
  unmeasured: {},
  counts: NAN_COUNTS,
  lostSplit: { beforeFirstDelivery: NaN, betweenDeliveries: NaN, afterLastDelivery: NaN },
  subscriptions: [],
  foreign: 0,
  samples: { lost: [], duplicated: [], unexpected: [], unseen: [], duplicateWrites: [], redelivered: [], nonmonotonic: [], readGaps: [] },
};

export function buildResult(b: BuildInput): RunResult {
  const { plan, history } = b;
  const { verdicts: v, summary } = checkAll(history, plan);
  const delivery = v.delivery ?? NO_DELIVERY;
  const counts = {
    ...delivery.counts,
    reordered: v.order?.counts.reordered ?? NaN,
    effects: v.effects?.counts.effects ?? NaN,
    idempotencyViolations: v.effects?.counts.idempotencyViolations ?? NaN,
  };
  const { latency, throughput, phases } = measured(plan, v);
  const lag = v.lag && { source: v.lag.counts.source, ...(v.lag.counts.why ? { why: v.lag.counts.why } : {}), max: v.lag.counts.max, final: v.lag.counts.final, samples: v.lag.counts.samples };
  const recoveryMax = v.recovery ? v.recovery.counts.max : null;
  const { intervals, faults, clientEvents, finalRead } = runNotes(history);
  const m: Measured = { counts, latency, throughput, phases, recoveryMax, recoveryWhy: v.recovery ? undefined : 'the recovery checker failed', clientEvents, lag: lag ?? { max: null, final: null, why: 'the lag checker failed' }, unmeasured: delivery.unmeasured };
  const gates = evaluateGates(plan.gates, m, b.baseline);
  const shows = evaluateGates(plan.shows, m, b.baseline);

  const valids: Valid[] = [...Object.values(summary).map((s) => s.valid), ...gates.map((g) => g.verdict)];
  const verdict = worst(valids);
  const unknown = [
    ...Object.values(summary)
      .filter((s) => s.valid === 'unknown')
      .map((s) => s.why ?? 'unknown'),
    ...gates.filter((g) => g.verdict === 'unknown').map((g) => `${g.expr}${g.phase ? ` [${g.phase}]` : ''}: ${g.error}`),
  ];
  let status = b.end.status;
  if (status === 'passed' && verdict !== true) status = 'failed';
  const attempted = Number.isFinite(counts.attempted) ? counts.attempted : 0;
  releaseReplay(history);

  const result: RunResult = {
    schemaVersion: SCHEMA_VERSION,
    faultline: VERSION,
    runId: history.meta.runId,
    seed: plan.seed,
    scenario: plan.scenario,
    target: { name: plan.targetName, ...plan.target },
    status,
    ...(b.end.error ? { error: b.end.error } : {}),
    ...(b.end.errorCode ? { errorCode: b.end.errorCode } : {}),
    startedAt: b.end.startedAt,
    endedAt: b.end.endedAt,
    durationMs: Date.parse(b.end.endedAt) - Date.parse(b.end.startedAt),
    delivery: plan.scenario.workload.subscriptions === 0 ? 'not-checked' : 'checked',
    verdict,
    verdicts: summary,
    counts,
    lostSplit: delivery.lostSplit,
    subscriptions: delivery.subscriptions.map((s) => ({
      ...s,
      reordered: v.order?.counts.perSubscription[s.subscription] ?? NaN,
      effects: v.effects?.counts.perSubscription[s.subscription].effects ?? NaN,
      idempotencyViolations: v.effects?.counts.perSubscription[s.subscription].idempotencyViolations ?? NaN,
    })),
    foreign: delivery.foreign,
    unknown,
    latency,
    throughput,
    phases,
    faults,
    clientEvents,
    recovery: v.recovery?.counts.recovery ?? [],
    ...(lag ? { lag } : {}),
    ...(finalRead ? { finalRead: { source: finalRead.source, events: finalRead.events, complete: finalRead.complete, ...(finalRead.why ? { why: finalRead.why } : {}) } } : {}),
    ...(delivery.positions ? { positions: delivery.positions } : {}),
    gates,
    ...(shows.length ? { shows } : {}),
    histograms: v.latency?.histograms ?? { publish: '', scheduleLag: '', e2e: '' },
    intervals,
    samples: { ...delivery.samples, reordered: v.order?.samples.reordered ?? [], idempotencyViolations: v.effects?.samples.idempotencyViolations ?? [] },
    adapterStats: b.end.adapterStats,
    ledger: { bytes: b.historyBytes, bytesPerEvent: attempted ? round(b.historyBytes / attempted) : 0 },
    environment: { node: process.version, os: `${os.type()} ${os.release()} ${os.arch()}`, cpus: os.cpus().length, ...(b.end.environment ?? {}) },
  };
  // One masking function for every output: each reporter reads this result.
  return maskSecrets(result);
}

interface Measured {
  counts: Record<string, number>;
  latency: LatencyBlock;
  throughput: Throughput;
  phases: PhaseResult[];
  recoveryMax: number | null;
  recoveryWhy?: string;
  clientEvents: ClientEventEntry[];
  lag: NonNullable<GateInputs['lag']>;
  unmeasured: Record<string, string>;
}

/** Rebalances, crashes and reconnects the clients reported, in [from, to) ms of the load (the run: all of them). */
function eventCounts(events: ClientEventEntry[], from = -Infinity, to = Infinity): Record<string, number> {
  const within = events.filter((e) => e.atMs >= from && e.atMs < to);
  return { rebalances: within.filter((e) => e.kind === 'rebalance').length, crashes: within.filter((e) => e.kind === 'crash').length, reconnects: within.filter((e) => e.kind === 'reconnect').length };
}

const inputs = (counts: Record<string, number>, lat: LatencyBlock, tp: Throughput, recovery?: GateInputs['recovery'], lag?: GateInputs['lag']): GateInputs => ({
  counts,
  latency: lat as unknown as Record<string, Record<string, number>>,
  throughput: tp as unknown as Record<string, number>,
  recovery: recovery ?? { max: null, why: 'recovery is measured for the whole run, not per phase' },
  lag: lag ?? { max: null, final: null, why: 'this run has no lag figures' },
});

function evaluateGates(list: RunPlan['gates'], m: Measured, bl?: RunResult): GateResult[] {
  const baselineMax = (r: RunResult) => (r.recovery.length && r.recovery.every((x) => x.recoveryMs !== null) ? Math.max(...r.recovery.map((x) => x.recoveryMs as number)) : null);
  const baselineRun = bl && inputs(bl.counts as unknown as Record<string, number>, bl.latency, bl.throughput, { max: baselineMax(bl) }, bl.lag);
  const storedPhase = (name: string) => {
    const ph = bl?.phases.find((p) => p.name === name);
    return ph && inputs(ph.counts, ph.latency, ph.throughput, undefined, ph.lag);
  };
  const why = m.lag.why ? { why: m.lag.why } : {};
  return list.map((g) => {
    if (!g.phase) return evaluateGate(g, { ...inputs({ ...m.counts, ...eventCounts(m.clientEvents) }, m.latency, m.throughput, { max: m.recoveryMax, ...(m.recoveryWhy ? { why: m.recoveryWhy } : {}) }, m.lag), unmeasured: m.unmeasured }, baselineRun);
    const results = phasesNamed(m.phases, g.phase).map((ph) => evaluateGate(g, inputs({ ...ph.counts, ...eventCounts(m.clientEvents, ph.startMs, ph.endMs) }, ph.latency, ph.throughput, undefined, { ...(ph.lag ?? { max: null, final: null }), ...why }), storedPhase(ph.name), ph.name));
    if (results.length === 0) return evaluateGate(g, undefined);
    return judgeGroup(g, results);
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
