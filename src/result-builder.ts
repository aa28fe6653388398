// Observations → verdicts → the RunResult: runs the checkers over the ledger and histograms,
// computes phases, recovery and gates. A checker that throws leaves its verdicts unknown, never passed.
import os from 'node:os';
import { checkDelivery, type DeliveryVerdict } from './check/delivery.js';
import { evaluateGate, type GateInputs } from './check/gates.js';
import { recoveryTime } from './check/recovery.js';
import type { FaultLogEntry } from './nemesis/nemesis.js';
import { encodeHistogram, summarize } from './observe/histograms.js';
import type { Recorder } from './observe/recorder.js';
import { phasesNamed, type RunPlan } from './plan/plan.js';
import { SCHEMA_VERSION, type LatencyBlock, type PhaseResult, type RunResult, type RunStatus, type Throughput } from './result.js';
import { VERSION } from './version.js';

export interface BuildInput {
  plan: RunPlan;
  runId: string;
  recorder: Recorder;
  status: RunStatus;
  error?: string;
  startedAt: Date;
  endedAt: Date;
  adapterStats: Record<string, number>;
  env?: { client?: { name: string; version: string }; broker?: { version: string } };
  faults: FaultLogEntry[];
  baseline?: RunResult;
}

function latencyOf(set: { publish: Parameters<typeof summarize>[0]; scheduleLag: Parameters<typeof summarize>[0]; e2e: Parameters<typeof summarize>[0] }): LatencyBlock {
  return { publish: summarize(set.publish), scheduleLag: summarize(set.scheduleLag), e2e: summarize(set.e2e) };
}

export function buildResult(b: BuildInput): RunResult {
  const { plan, recorder } = b;
  const unknown: string[] = [];
  let verdict: DeliveryVerdict;
  try {
    verdict = checkDelivery(recorder.ledger);
  } catch (err) {
    // A broken checker never hides a loss: its verdicts are unknown, and gates on them fail.
    unknown.push(`delivery: ${(err as Error).message}`);
    verdict = { counts: { attempted: NaN, acked: NaN, failed: NaN, indeterminate: NaN, delivered: NaN, lost: NaN, duplicated: NaN, duplicateDeliveries: NaN, recovered: NaN, unexpected: NaN, reordered: NaN, effects: NaN, idempotencyViolations: NaN }, lostSplit: { beforeFirstDelivery: NaN, betweenDeliveries: NaN, afterLastDelivery: NaN }, subscriptions: [], foreign: 0, samples: { lost: [], duplicated: [], reordered: [], unexpected: [], idempotencyViolations: [] } };
  }
  const pc = recorder.phaseCounts;
  const phases: PhaseResult[] = plan.phases.map((ph, i) => {
    const secs = Math.max(ph.endMs - ph.startMs, 1) / 1000;
    return {
      name: ph.name,
      startMs: ph.startMs,
      endMs: ph.endMs,
      counts: { attempted: pc.attempted[i], acked: pc.acked[i], failed: pc.failed[i], indeterminate: pc.indeterminate[i], delivered: pc.delivered[i] },
      latency: latencyOf(recorder.perPhase[i]),
      throughput: { attemptedPerSec: round(pc.attempted[i] / secs), ackedPerSec: round(pc.acked[i] / secs), deliveredPerSec: round(pc.delivered[i] / secs) },
    };
  });
  const measured = phases.filter((_, i) => !plan.excludedPhases.has(i));
  const secs = Math.max(measured.reduce((n, p) => n + (p.endMs - p.startMs), 0), 1) / 1000;
  const sum = (k: keyof PhaseResult['counts']) => measured.reduce((n, p) => n + p.counts[k], 0);
  const throughput: Throughput = { attemptedPerSec: round(sum('attempted') / secs), ackedPerSec: round(sum('acked') / secs), deliveredPerSec: round(sum('delivered') / secs) };
  const latency = latencyOf(recorder.overall);

  const inputs = (counts: Record<string, number>, lat: LatencyBlock, tp: Throughput): GateInputs => ({
    counts,
    latency: lat as unknown as Record<string, Record<string, number>>,
    throughput: tp as unknown as Record<string, number>,
    recovery: { max: null },
  });
  const baselinePhase = phases.find((p) => p.name === 'baseline');
  const baseline = baselinePhase ? { deliveredPerSec: baselinePhase.throughput.deliveredPerSec, e2eP99: baselinePhase.latency.e2e.p99 } : null;
  // Recovery is judged on delivered/s and e2e p99: a publish-only run has neither, so none is measured.
  const recovery = (plan.scenario.workload.subscriptions === 0 ? [] : plan.faults).map((w) => {
    const logged = b.faults.find((f) => f.id === w.id);
    const endMs = logged && logged.endMs >= 0 ? logged.endMs : w.endMs;
    return { fault: w.id, recoveryMs: logged?.applied ? recoveryTime(recorder.intervals.closed, endMs, baseline) : null };
  });
  const recoveryMax = recovery.length && recovery.every((r) => r.recoveryMs !== null) ? Math.max(...recovery.map((r) => r.recoveryMs as number)) : null;
  const bl = b.baseline;
  const baselineMax = (r: RunResult) => (r.recovery.length && r.recovery.every((x) => x.recoveryMs !== null) ? Math.max(...r.recovery.map((x) => x.recoveryMs as number)) : null);
  const baselineRun = bl && { ...inputs(bl.counts as unknown as Record<string, number>, bl.latency, bl.throughput), recovery: { max: baselineMax(bl) } };
  const storedPhase = (name: string) => {
    const ph = bl?.phases.find((p) => p.name === name);
    return ph && inputs(ph.counts, ph.latency, ph.throughput);
  };
  const gates = plan.gates.map((g) => {
    if (!g.phase) return evaluateGate(g, { ...inputs(verdict.counts as unknown as Record<string, number>, latency, throughput), recovery: { max: recoveryMax } }, baselineRun);
    // A group (`recovery`, `fault`) passes only if every phase of it passes; its value is the worst one.
    const results = phasesNamed(phases, g.phase).map((ph) => evaluateGate(g, inputs(ph.counts, ph.latency, ph.throughput), storedPhase(ph.name)));
    if (results.length === 0) return evaluateGate(g, undefined);
    return results.find((r) => !r.passed) ?? results.reduce((worst, r) => ((r.value ?? 0) > (worst.value ?? 0) === g.op.startsWith('<') ? r : worst));
  });
  const countsKnown = unknown.length === 0;
  let status = b.status;
  if (status === 'passed' && (!countsKnown || gates.some((g) => !g.passed))) status = 'failed';
  const attempted = verdict.counts.attempted || 0;
  const ledgerBytes = recorder.ledger.bytes();

  return {
    schemaVersion: SCHEMA_VERSION,
    faultline: VERSION,
    runId: b.runId,
    seed: plan.seed,
    scenario: plan.scenario,
    target: { name: plan.targetName, ...plan.target },
    status,
    ...(b.error ? { error: b.error } : {}),
    startedAt: b.startedAt.toISOString(),
    endedAt: b.endedAt.toISOString(),
    durationMs: b.endedAt.getTime() - b.startedAt.getTime(),
    delivery: plan.scenario.workload.subscriptions === 0 ? 'not-checked' : 'checked',
    counts: verdict.counts,
    lostSplit: verdict.lostSplit,
    subscriptions: verdict.subscriptions,
    foreign: verdict.foreign,
    unknown,
    latency,
    throughput,
    phases,
    faults: b.faults,
    recovery,
    gates,
    histograms: { publish: encodeHistogram(recorder.overall.publish), scheduleLag: encodeHistogram(recorder.overall.scheduleLag), e2e: encodeHistogram(recorder.overall.e2e) },
    intervals: recorder.intervals.closed,
    samples: verdict.samples,
    adapterStats: b.adapterStats,
    ledger: { bytes: ledgerBytes, bytesPerEvent: attempted ? round(ledgerBytes / attempted) : 0 },
    environment: { node: process.version, os: `${os.type()} ${os.release()} ${os.arch()}`, cpus: os.cpus().length, ...(b.env ?? {}) },
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
