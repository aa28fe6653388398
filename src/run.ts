// The run lifecycle: setup → warmup + measure → drain → check → result → teardown, whatever ends it.
import { mkdirSync, mkdtempSync, existsSync, createWriteStream, rmSync, rmdirSync, writeFileSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHttpProducer } from './adapters/http/ingress.js';
import { loadAdapter } from './adapters/registry.js';
import type { Adapter, ClientEvent, Consumer, Producer } from './adapters/types.js';
import { Random, systemClock, type Clock } from './clock.js';
import { EnvironmentError, isFaultlineError } from './errors.js';
import { MemberGate, processingHandler } from './load/processing.js';
import { Sender } from './load/sender.js';
import { AutocannonDriver } from './load/autocannon-driver.js';
import { OpenLoopSchedule } from './load/schedules.js';
import { STATE_FILE } from './nemesis/heal.js';
import { Nemesis } from './nemesis/nemesis.js';
import type { ClusterView } from './nemesis/cluster-faults.js';
import { LOCAL_CLUSTERS, type ClusterName } from './cluster/local.js';
import { runTagOf } from './observe/envelope.js';
import { PoisonHandler } from './load/poison.js';
import { DeadLetterQueues } from './load/dead-letters.js';
import { HistoryFile, HistoryWriter } from './observe/history.js';
import { initHistograms, type LatencySummary } from './observe/histograms.js';
import type { Interval } from './observe/intervals.js';
import { LagSampler } from './observe/lag.js';
import { Recorder } from './observe/recorder.js';
import { phaseAt } from './observe/phases.js';
import { planRun, type RunPlan } from './plan/plan.js';
import type { Identity, ShardStore } from './shard/store.js';
import { writeReports } from './report/write.js';
import { bucketsOf, type LiveState } from './report/live.js';
import { buildResult, type RunEnd } from './result-builder.js';
import { maskSecrets } from './mask.js';
import type { RunResult, RunStatus } from './result.js';
import type { Scenario } from './scenario/schema.js';

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
  /** file:line:col of a field path, for plan-time problems (the loader's `locate`). */
  locate?: (path: (string | number)[]) => string;
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
  /** Live metrics (--metrics): the run reports what it has seen so far to it, and its verdict counts at the end. */
  metrics?: Pick<LiveState, 'attach' | 'detach' | 'finish'>;
}

export interface ShardOptions extends Omit<RunOptions, 'outDir' | 'write' | 'baseline'> {
  /** This shard's place in the run and the store it meets the others through. */
  store: ShardStore;
}

/** What one process observed, before any judging: its history and how it ended. */
interface Executed {
  plan: RunPlan;
  dir: string | null;
  historyFile: string;
  historyBytes: number;
  end: RunEnd;
  internalError?: Error;
  /** Removes the temp folder of a run without a folder. */
  cleanup(): void;
}

export interface RunOutcome {
  result: RunResult;
  dir: string | null;
  /** A bug in faultline ended the run (its result has status error): the CLI prints its stack and exits 4. */
  internalError?: Error;
  /** Set when result.json was written but a report (HTML, JUnit, Markdown) could not be. */
  reportError?: string;
}

/** The observation history of a run, in its folder. */
export const OBSERVATIONS_FILE = 'observations.bin';

const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (d: Date) => `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;

/** A new run folder `<parent>/<name>-<yyyymmdd-hhmmss>[-n]`. */
export function runFolder(parent: string, name: string, at: Date): { runId: string; dir: string } {
  let runId = `${name}-${stamp(at)}`;
  for (let i = 2; existsSync(path.join(parent, runId)); i++) runId = `${name}-${stamp(at)}-${i}`;
  const dir = path.join(parent, runId);
  mkdirSync(dir, { recursive: true });
  return { runId, dir };
}

/** A run that failed before its load started leaves no empty folder behind. */
function removeIfEmpty(dir: string | null): void {
  try {
    if (dir) rmdirSync(dir);
  } catch {
    /* not empty, or already gone: keep it */
  }
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
  const run = await execute(scenario, opts, null);
  const result = buildResult({ plan: run.plan, history: new HistoryFile(run.historyFile), end: run.end, baseline: opts.baseline, historyBytes: run.historyBytes });
  opts.metrics?.finish(result);
  run.cleanup();
  const dir = run.dir;
  let reportError: string | undefined;
  if (dir) {
    writeFileSync(path.join(dir, 'result.json'), JSON.stringify(result, null, 2));
    reportError = await writeReports(dir, result).then(
      () => undefined,
      (err: Error) => err.message,
    );
  }
  return { result, dir, ...(reportError ? { reportError } : {}), ...(run.internalError ? { internalError: run.internalError } : {}) };
}

/**
 * One shard of a run split over processes: its producers (p mod count), its consumer members
 * (m mod count), the nemesis on shard 0; it meets the others only through the store, and leaves its
 * history in its shard folder for `faultline merge`. Judges nothing.
 */
export async function runShard(scenario: Scenario, opts: ShardOptions): Promise<{ dir: string; end: RunEnd; internalError?: Error }> {
  const run = await execute(scenario, opts, opts.store);
  return { dir: run.dir!, end: run.end, ...(run.internalError ? { internalError: run.internalError } : {}) };
}

/** The target's cluster as the nemesis sees it: the leader of the run's resource, asked of the adapter (5 s at most). */
function clusterView(cluster: ClusterName, adapter: Adapter, rng: Random): ClusterView {
  return {
    cluster,
    pick: (n) => rng.int(n),
    async leader() {
      if (!adapter.leader) return undefined;
      const id = await withTimeout(5000, adapter.leader());
      // A broker names its nodes its own way: Kafka by node id, NATS by server name, RabbitMQ as
      // rabbit@<address>, Redis's Sentinels by address.
      const host = (n: { address: string }) => n.address.split(':')[0];
      return LOCAL_CLUSTERS[cluster].nodes.find((n) => n.id === id || n.name === id || id === host(n) || (typeof id === 'string' && id.endsWith(`@${host(n)}`)))?.name;
    },
  };
}

/** Runs started by this process, to tell concurrent ones apart. */
let runsStarted = 0;

async function execute(scenario: Scenario, opts: RunOptions, shard: ShardStore | null): Promise<Executed> {
  const clock = opts.clock ?? systemClock;
  const plan = await planRun(scenario, { ...opts, hasBaseline: !!opts.baseline });
  await initHistograms();
  const startedAt = new Date();
  const write = opts.write ?? true;
  const w = scenario.workload;
  const rng = new Random(plan.seed);
  // Topic/queue/stream names unique to this run (a scenario can fix its own instead); a shard other
  // than 0 takes shard 0's, once shard 0 has set the topology up.
  // Two runs of one scenario in one process, started in the same millisecond with the same seed (a
  // test running variants side by side), still get their own names and run tags.
  const nth = ++runsStarted;
  const mine: Identity = { runId: `${scenario.name}-${stamp(startedAt)}`, unique: `${Date.now().toString(36)}${rng.int(1e6).toString(36)}${nth.toString(36)}` };
  const identity = shard && shard.index > 0 ? await shard.awaitIdentity() : mine;
  const folder = shard ? { runId: identity.runId, dir: shard.dir } : write ? runFolder(opts.outDir ?? scenario.report.out, scenario.name, startedAt) : { runId: `${mine.runId}-${process.pid}-${nth}`, dir: null };
  const { runId, dir } = folder;
  const unique = identity.unique;
  opts.onStart?.({ runId, dir, plan });
  const owns = (n: number) => !shard || n % shard.count === shard.index;
  // One shard (0) applies the faults.
  const nemesis = new Nemesis(owns(0) ? plan.faults : [], { clock, runId, prefix: `faultline-${runTagOf(runId).toString(36)}`, stateFile: dir ? path.join(dir, STATE_FILE) : null });
  await nemesis.check().catch((err: unknown) => {
    if (!shard) removeIfEmpty(dir);
    throw err;
  });
  // What the clients report (rebalances, crashes, reconnects), with the clock time; made relative to the load's start at the end.
  const clientEvents: (ClientEvent & { at: number })[] = [];
  let stopping = false;
  let loadStartAt: number | undefined;
  // (Once the run is over its own closing of the members makes the clients rebalance: not the system's doing.)
  const onClientEvent = (e: ClientEvent) => !stopping && clientEvents.push({ ...e, at: clock.now() });
  const context = (suffix: string) => ({ runId, onClientEvent, resourceName: `fl-${scenario.name}${suffix}-${unique}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'), subscriptions: w.subscriptions, seed: plan.seed, ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}) });
  const adapter: Adapter = await loadAdapter(plan.target, context(''));
  // Pipeline mode: a service under test consumes the target; faultline consumes what it reports.
  const output: Adapter | null = scenario.pipeline ? await loadAdapter(scenario.pipeline.output, context('-out')) : null;
  // Poison events dead-lettered: per subscription, a dead-letter queue on the broker faultline consumes from.
  const poison = scenario.consumer.poison;
  const deadLetters = poison?.then === 'dead-letter' ? await DeadLetterQueues.load(scenario.pipeline?.output ?? plan.target, w.subscriptions, context) : null;
  let poisonHandler: PoisonHandler | undefined;
  const producers: { id: number; producer: Producer }[] = [];
  const httpCounts: Record<string, number> = {};
  // The run's consumer members by `s<subscription>/m<member>`; consumer faults replace dead ones.
  const members = new Map<string, { consumer: Consumer; gate: MemberGate }>();
  let recorder: Recorder | undefined;
  let lagSampler: LagSampler | undefined;
  let intervalsOut: WriteStream | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let status: RunStatus = 'passed';
  let error: string | undefined;
  let loadEndAt = 0;
  let stopAll: (() => void) | undefined;
  let senders: (Sender | AutocannonDriver)[] = [];
  let history: HistoryWriter | undefined;
  let internalError: Error | undefined;
  let errorCode: string | undefined;
  let clockOffsetMs = 0;
  // Without a run folder the history goes to a temp file, removed after the check: memory stays bounded either way.
  const historyDir = dir ?? mkdtempSync(path.join(os.tmpdir(), 'faultline-'));
  const aborted = () => opts.signal?.aborted ?? false;

  try {
    await adapter.setup();
    await output?.setup();
    await deadLetters?.setup();
    const cluster = 'cluster' in plan.target ? plan.target.cluster : undefined;
    if (cluster) nemesis.attach(clusterView(cluster, adapter, rng.fork(7)));
    if (shard?.index === 0) shard.publishIdentity({ runId, unique });
    history = new HistoryWriter(path.join(historyDir, OBSERVATIONS_FILE), {
      format: 1,
      runId,
      runTag: runTagOf(runId),
      targetName: plan.targetName,
      seed: plan.seed,
      scenario: maskSecrets(scenario),
      producers: w.producers,
      subscriptions: w.subscriptions,
      keys: w.message.keys.count,
      // In pipeline mode every report is an effect the service applied: none may be de-duplicated here.
      dedupeEffects: scenario.pipeline ? false : scenario.effects.dedupe,
      startedAt: startedAt.toISOString(),
    });
    recorder = new Recorder({ clock, runTag: runTagOf(runId), producers: w.producers, subscriptions: w.subscriptions, history, local: owns, totals: !!opts.metrics });
    const hist = history;
    const rec = recorder;
    const delay = scenario.consumer.processing.delay;
    if (poison) {
      await deadLetters?.start(rec.deadLettered);
      const publish = deadLetters?.publisher(runId) ?? (async () => false);
      poisonHandler = new PoisonHandler(poison, plan.seed, runTagOf(runId), clock, publish, () => !stopping);
    }
    let generation = 0;
    const startMember = async (s: number, m: number) => {
      const gate = new MemberGate();
      const handler = processingHandler(rec.delivered, delay, clock, rng.fork(1000 + s * 1000 + m + 100_000 * generation++), gate, poisonHandler);
      members.set(`s${s}/m${m}`, { consumer: await (output ?? adapter).createConsumer({ subscription: s, member: m }, handler), gate });
    };
    for (let s = 0; s < w.subscriptions; s++) for (let m = 0; m < w.consumers; m++) if (owns(m)) await startMember(s, m);
    if (members.size) await (output ?? adapter).ready?.();
    nemesis.attachConsumers({
      select: (which) => [...members.keys()].filter((k) => which === 'all' || k.endsWith(`/m${which}`)),
      set: (keys, state) => keys.forEach((k) => members.get(k)?.gate.set(state)),
      slow: (keys, ms) => keys.forEach((k) => members.get(k) && (members.get(k)!.gate.extraDelayMs = ms)),
      kill: async (keys) => {
        for (const k of keys) {
          const member = members.get(k);
          member?.gate.set('dead');
          const end = member?.consumer.crash ? member.consumer.crash() : member?.consumer.close();
          await withTimeout(5000, end?.catch(() => undefined) ?? Promise.resolve());
        }
      },
      start: async (keys) => {
        for (const k of keys) {
          const [, s, m] = /^s(\d+)\/m(\d+)$/.exec(k)!.map(Number);
          await startMember(s, m);
        }
      },
    });
    const closedLoopHttp = scenario.ingress?.engine === 'autocannon' ? scenario.ingress : null;
    if (!closedLoopHttp) for (let p = 0; p < w.producers; p++) if (owns(p)) producers.push({ id: p, producer: scenario.ingress ? createHttpProducer(scenario.ingress, httpCounts) : await adapter.createProducer(p) });
    // Shards start together at the time shard 0 writes once all are ready (wall clock: the system
    // clock is anchored at the epoch).
    const startAt = shard ? await shard.start() : clock.now() + 50;
    loadStartAt = startAt;
    // This shard's clock against the store's: the merge reports the largest difference between shards.
    clockOffsetMs = shard ? shard.clockOffset() + (clock.now() - Date.now()) : 0;
    rec.start(startAt);
    nemesis.start(startAt);
    // The backlog as the broker sees it, asked of the adapter faultline consumes from (one shard asks for all).
    lagSampler = new LagSampler(output ?? adapter, clock, startAt);
    if (owns(0) && w.subscriptions > 0) lagSampler.start();
    const sampler = lagSampler;
    opts.metrics?.attach(() => {
      const t = rec.totals!;
      const last = rec.intervals.closed[rec.intervals.closed.length - 1];
      let awaiting = 0;
      for (let s = 0; s < w.subscriptions; s++) awaiting += Math.max(0, rec.acked - rec.ackedDelivered[s]);
      return {
        run: runId,
        target: plan.targetName,
        attempted: t.attempted,
        acked: t.acked,
        failed: t.failed,
        indeterminate: t.indeterminate,
        delivered: t.delivered,
        duplicateDeliveries: t.duplicateDeliveries,
        unexpected: t.unexpected,
        inFlight: rec.inFlight,
        awaitingDelivery: awaiting,
        lastSecond: last ? { attempted: last.attempted, acked: last.acked, delivered: last.delivered } : null,
        lag: sampler.latest,
        faults: nemesis.entries().map((f) => ({ id: f.id, label: f.label, kind: f.kind, active: f.applied && !(f.endMs >= 0) })),
        publish: bucketsOf(t.publish),
        e2e: bucketsOf(t.e2e),
      };
    });

    const totalMs = plan.warmupMs + plan.durationMs;
    const endAt = startAt + totalMs;
    if (closedLoopHttp) {
      // HTTP ingress driven by autocannon: one instance per producer, each with its connections
      for (let id = 0; id < w.producers; id++) if (owns(id)) senders.push(new AutocannonDriver({ id, ingress: closedLoopHttp, recorder: rec, clock, rng: rng.fork(100 + id), runId, runTag: runTagOf(runId), endAt, keys: w.message.keys, size: plan.size, counts: httpCounts }));
    } else senders = producers.map(
      ({ id, producer }) =>
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
      hist.note({ type: 'interval', interval: iv });
      intervalsOut?.write(JSON.stringify(iv) + '\n');
      const elapsedMs = clock.now() - startAt;
      opts.onProgress?.({ elapsedMs, totalMs, phase: plan.phases[phaseAt(plan.phases, rec.sinceStart(clock.now()))].name, interval: iv, inFlight: rec.inFlight, errors: iv.failed + iv.indeterminate });
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
    // subscription has received every acknowledged event, or until the deadline passes (a consumer
    // still recovering from a fault, or a redelivery after its ack wait, gets its chance before
    // anything is called lost). Shards only know their own producers' outcomes: across shards the
    // drain compares distinct deliveries with acknowledged sends.
    const drainEnd = loadEndAt + scenario.drain.deadline;
    while (!aborted() && w.subscriptions > 0) {
      const now = clock.now();
      if (now >= drainEnd) break;
      shard?.report({ acked: rec.acked, distinct: [...rec.distinct] });
      const caughtUp = shard ? shard.caughtUp(w.subscriptions) : rec.caughtUp();
      if (now - Math.max(rec.lastDeliveryAt, loadEndAt) >= scenario.drain.quiet && caughtUp) break;
      await clock.sleep(Math.min(100, scenario.drain.quiet / 4));
      hist.flush();
    }
    if (aborted()) status = 'aborted';
    else if (owns(0) && w.subscriptions > 0) await lagSampler.final();
  } catch (err) {
    if (!recorder) removeIfEmpty(dir);
    if (isFaultlineError(err) && !recorder) throw err;
    status = aborted() ? 'aborted' : 'error';
    error = (err as Error).message;
    if (isFaultlineError(err)) errorCode = err.code;
    else internalError = err as Error;
    if (!recorder) throw err;
  } finally {
    if (!recorder && !dir) rmSync(historyDir, { recursive: true, force: true });
    clearTimeout(ticker);
    lagSampler?.stop();
    stopping = true;
    if (stopAll) opts.signal?.removeEventListener('abort', stopAll);
    // Faults first: the broker must be reachable for teardown, and nothing may stay broken.
    await nemesis.heal();
    await new Promise<void>((r) => (intervalsOut ? intervalsOut.end(r) : r()));
    for (const { consumer, gate } of members.values()) if (gate.current !== 'dead') await withTimeout(5000, consumer.close().catch(() => undefined));
    for (const { producer } of producers) await withTimeout(5000, producer.close().catch(() => undefined));
    await deadLetters?.closeProducers();
    // No shard tears the topology down while another still reads it.
    // A shard that died is waited for no longer than a drain would wait for its events.
    const notDone = shard && recorder ? await shard.finish(scenario.drain.deadline + 5000) : [];
    const statsBefore = { ...(adapter.stats?.() ?? {}), ...(output?.stats?.() ?? {}), ...httpCounts, ...(poisonHandler?.counts ?? {}) };
    const env = await withTimeout(3000, adapter.environment?.().catch(() => undefined) ?? Promise.resolve(undefined));
    await withTimeout(10_000, adapter.teardown().catch(() => undefined));
    if (output) await withTimeout(10_000, output.teardown().catch(() => undefined));
    await deadLetters?.teardown();
    if (recorder && history) {
      // Sends still unanswered are recorded as such; then the fault log and how the run ended close the history.
      for (const s of senders) s.abandon();
      history.note(maskSecrets({ type: 'faults', entries: nemesis.entries() as unknown as Record<string, unknown>[] }));
      const origin = loadStartAt ?? clock.now();
      if (lagSampler && owns(0) && w.subscriptions > 0) history.note({ ...lagSampler.note() });
      if (poison) history.note({ type: 'dead-letters', entries: recorder.deadLetters });
      history.note(maskSecrets({ type: 'client-events', entries: clientEvents.map(({ at, ...e }) => ({ atMs: Math.round(at - origin), ...e })) }));
      const end: RunEnd = {
        status,
        ...(error ? { error } : {}),
        ...(errorCode || internalError ? { errorCode: errorCode ?? 'INTERNAL' } : {}),
        startedAt: startedAt.toISOString(),
        endedAt: new Date().toISOString(),
        adapterStats: statsBefore,
        ...(env ? { environment: env } : {}),
        ...(shard ? { shard: { index: shard.index, count: shard.count, clockOffsetMs, ...(notDone.length ? { notDone } : {}) } } : {}),
      };
      history.note(maskSecrets({ type: 'end', ...end }));
      history.close();
      opts.metrics?.detach();
      recorder.destroy();
      const file = history.file;
      const bytes = history.bytesWritten;
      // eslint-disable-next-line no-unsafe-finally
      return { plan, dir, historyFile: file, historyBytes: bytes, end, ...(internalError ? { internalError } : {}), cleanup: () => (dir ? undefined : rmSync(historyDir, { recursive: true, force: true })) };
    }
  }
  if (!dir) rmSync(historyDir, { recursive: true, force: true });
  throw new EnvironmentError('the run ended before it started');
}

export type { LatencySummary };
