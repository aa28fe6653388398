// The run lifecycle: setup → warmup + measure → drain → check → result → teardown, whatever ends it.
import { mkdirSync, existsSync, createWriteStream, writeFileSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAdapter } from './adapters/registry.js';
import { createHttpProducer } from './adapters/http/ingress.js';
import type { Adapter, Consumer, Producer } from './adapters/types.js';
import { checkDelivery, type DeliveryVerdict } from './check/delivery.js';
import { evaluateGate, type GateInputs } from './check/gates.js';
import { Random, systemClock, type Clock } from './clock.js';
import { EnvironmentError, isFaultlineError } from './errors.js';
import { Sender } from './load/sender.js';
import { OpenLoopSchedule } from './load/schedules.js';
import { runTagOf } from './observe/envelope.js';
import { encodeHistogram, initHistograms, summarize, type LatencySummary } from './observe/histograms.js';
import type { Interval } from './observe/intervals.js';
import { Recorder } from './observe/recorder.js';
import { phasesNamed, planRun, type RunPlan } from './plan/plan.js';
import { STATE_FILE } from './nemesis/heal.js';
import { Nemesis, type FaultLogEntry } from './nemesis/nemesis.js';
import { recoveryTime } from './check/recovery.js';
import { SCHEMA_VERSION, type LatencyBlock, type PhaseResult, type RunResult, type RunStatus, type Throughput } from './result.js';
import type { Scenario } from './scenario/schema.js';
import { VERSION } from './version.js';
import { writeReports } from './report/write.js';

export interface Progress {
  elapsedMs: number;
  totalMs: number;
  phase: string;
  interval: Interval;
  inFlight: number;
  /** Failed and indeterminate sends in the last second. */
  errors: number;
}

export interface RunOptions {
  target?: string;
  seed?: number;
  /** Parent folder of the run folder; default: the scenario's report.out. */
  outDir?: string;
  /** Write result.json and intervals.ndjson (default true). */
  write?: boolean;
  signal?: AbortSignal;
  clock?: Clock;
  onProgress?: (p: Progress) => void;
  /** Called once the run folder exists, before the load starts. */
  onStart?: (info: { runId: string; dir: string | null; plan: RunPlan }) => void;
  /** A stored result that `baseline * f` gates compare with. */
  baseline?: RunResult;
}

export interface RunOutcome {
  result: RunResult;
  dir: string | null;
  /** Set when result.json was written but a report (HTML, JUnit, Markdown) could not be. */
  reportError?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (d: Date) => `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;

function runFolder(parent: string, name: string, at: Date): { runId: string; dir: string } {
  let runId = `${name}-${stamp(at)}`;
  for (let i = 2; existsSync(path.join(parent, runId)); i++) runId = `${name}-${stamp(at)}-${i}`;
  const dir = path.join(parent, runId);
  mkdirSync(dir, { recursive: true });
  return { runId, dir };
}

async function withTimeout<T>(ms: number, p: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<RunOutcome> {
  const clock = opts.clock ?? systemClock;
  const plan = await planRun(scenario, { ...opts, hasBaseline: !!opts.baseline });
  await initHistograms();
  const startedAt = new Date();
  const write = opts.write ?? true;
  const folder = write ? runFolder(opts.outDir ?? scenario.report.out, scenario.name, startedAt) : { runId: `${scenario.name}-${stamp(startedAt)}-${process.pid}`, dir: null };
  const { runId, dir } = folder;
  opts.onStart?.({ runId, dir, plan });
  const w = scenario.workload;
  const rng = new Random(plan.seed);
  const nemesis = new Nemesis(plan.faults, { clock, runId, prefix: `faultline-${runTagOf(runId).toString(36)}`, stateFile: dir ? path.join(dir, STATE_FILE) : null });
  await nemesis.check();
  const adapter: Adapter = await loadAdapter(plan.target, {
    runId,
    resourceName: `fl-${scenario.name}-${Date.now().toString(36)}${rng.int(1e6).toString(36)}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
    subscriptions: w.subscriptions,
    seed: plan.seed,
  });

  // Pipeline mode: a service under test consumes the target; faultline consumes what it reports.
  const output: Adapter | null = scenario.pipeline
    ? await loadAdapter(scenario.pipeline.output, { runId, resourceName: `fl-${scenario.name}-out-${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'), subscriptions: w.subscriptions, seed: plan.seed })
    : null;
  const producers: Producer[] = [];
  const httpCounts: Record<string, number> = {};
  const consumers: Consumer[] = [];
  let recorder: Recorder | undefined;
  let intervalsOut: WriteStream | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let status: RunStatus = 'passed';
  let error: string | undefined;
  let loadEndAt = 0;
  let stopAll: (() => void) | undefined;
  const aborted = () => opts.signal?.aborted ?? false;

  try {
    await adapter.setup();
    await output?.setup();
    recorder = new Recorder({
      clock,
      runTag: runTagOf(runId),
      phases: plan.phases,
      excluded: plan.excludedPhases,
      // In pipeline mode every report is an effect the service applied: none may be de-duplicated here.
      dedupeEffects: scenario.pipeline ? false : scenario.effects.dedupe,
      producers: w.producers,
      subscriptions: w.subscriptions,
      keys: w.message.keys.count,
      expectedPerProducer: plan.expectedPerProducer,
    });
    const rec = recorder;
    for (let s = 0; s < w.subscriptions; s++) for (let m = 0; m < w.consumers; m++) consumers.push(await (output ?? adapter).createConsumer({ subscription: s, member: m }, rec.delivered));
    await (output ?? adapter).ready?.();
    for (let p = 0; p < w.producers; p++) producers.push(scenario.ingress ? createHttpProducer(scenario.ingress, httpCounts) : await adapter.createProducer(p));
    const startAt = clock.now() + 50;
    rec.start(startAt);
    nemesis.start(startAt);

    const totalMs = plan.warmupMs + plan.durationMs;
    const endAt = startAt + totalMs;
    const senders = producers.map(
      (producer, id) =>
        new Sender({
          id,
          producer,
          recorder: rec,
          clock,
          rng: rng.fork(100 + id),
          runId,
          runTag: runTagOf(runId),
          startAt,
          schedule: plan.rate ? new OpenLoopSchedule(plan.rate, w.producers, id, plan.warmupMs, plan.durationMs) : null,
          closedInFlight: Math.max(1, Math.ceil(plan.closedInFlight / w.producers)),
          endAt,
          keys: w.message.keys,
          size: plan.size,
          batchSize: w.batch.size,
          lingerMs: w.batch.linger,
          maxInFlight: w.maxInFlight,
        }),
    );
    stopAll = () => senders.forEach((s) => s.stop());
    opts.signal?.addEventListener('abort', stopAll, { once: true });

    if (dir) intervalsOut = createWriteStream(path.join(dir, 'intervals.ndjson'));
    let second = 0;
    const tick = () => {
      second++;
      const iv = rec.intervals.close(second);
      intervalsOut?.write(JSON.stringify(iv) + '\n');
      const elapsedMs = clock.now() - startAt;
      opts.onProgress?.({ elapsedMs, totalMs, phase: plan.phases[rec.phaseOf(clock.now())].name, interval: iv, inFlight: rec.inFlight, errors: iv.failed + iv.indeterminate });
      if (second * 1000 < totalMs - 1 && !aborted()) ticker = setTimeout(tick, startAt + (second + 1) * 1000 - clock.now());
    };
    await clock.sleep(startAt - clock.now());
    ticker = setTimeout(tick, startAt + 1000 - clock.now());
    await Promise.all(senders.map((s) => s.run(scenario.drain.deadline)));
    loadEndAt = clock.now();
    if (!aborted()) {
      // The last interval closes with the load, so a 10 s run has 10 intervals.
      await clock.sleep(Math.max(0, endAt - clock.now()));
    }
    clearTimeout(ticker);
    if (second * 1000 < totalMs && !aborted()) tick();
    clearTimeout(ticker);

    // Drain: keep consuming until nothing new has arrived for the quiet period and every
    // subscription has caught up with the acknowledged count, or until the deadline passes (a
    // consumer still recovering from a fault gets its chance before anything is called lost).
    const drainEnd = loadEndAt + scenario.drain.deadline;
    while (!aborted()) {
      const now = clock.now();
      if (now >= drainEnd) break;
      if (now - Math.max(rec.lastDeliveryAt, loadEndAt) >= scenario.drain.quiet && rec.caughtUp()) break;
      await clock.sleep(Math.min(100, scenario.drain.quiet / 4));
    }
    if (aborted()) status = 'aborted';
  } catch (err) {
    if (isFaultlineError(err) && !recorder) throw err;
    status = aborted() ? 'aborted' : 'error';
    error = (err as Error).message;
    if (!recorder) throw err;
  } finally {
    clearTimeout(ticker);
    if (stopAll) opts.signal?.removeEventListener('abort', stopAll);
    // Faults first: the broker must be reachable for teardown, and nothing may stay broken.
    await nemesis.heal();
    await new Promise<void>((r) => (intervalsOut ? intervalsOut.end(r) : r()));
    for (const c of consumers) await withTimeout(5000, c.close().catch(() => undefined));
    for (const p of producers) await withTimeout(5000, p.close().catch(() => undefined));
    const statsBefore = { ...(adapter.stats?.() ?? {}), ...(output?.stats?.() ?? {}), ...httpCounts };
    const env = await withTimeout(3000, adapter.environment?.().catch(() => undefined) ?? Promise.resolve(undefined));
    await withTimeout(10_000, adapter.teardown().catch(() => undefined));
    if (output) await withTimeout(10_000, output.teardown().catch(() => undefined));
    if (recorder) {
      const result = buildResult({ plan, runId, recorder, status, error, startedAt, endedAt: new Date(), adapterStats: statsBefore, env, faults: nemesis.entries(), baseline: opts.baseline });
      recorder.destroy();
      let reportError: string | undefined;
      if (dir) {
        writeFileSync(path.join(dir, 'result.json'), JSON.stringify(result, null, 2));
        reportError = await writeReports(dir, result).then(
          () => undefined,
          (err: Error) => err.message,
        );
      }
      // eslint-disable-next-line no-unsafe-finally
      return { result, dir, ...(reportError ? { reportError } : {}) };
    }
  }
  throw new EnvironmentError('the run ended before it started');
}

interface BuildInput {
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

function buildResult(b: BuildInput): RunResult {
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
  const recovery = plan.faults.map((w) => {
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
export type { LatencySummary };
