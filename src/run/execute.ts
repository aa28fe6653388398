// The run lifecycle, as a short story over steps: place the run, load its targets, observe (set up,
// consumers, load, drain), shut down whatever ends it, and close the history with how it ended. A
// local run and a shard differ only in their Coordination. Everything observed is in the history the
// moment it happens; this only says how the run ended.
import { settleWithin } from '../timeout.js';
import path from 'node:path';
import { systemClock, type Clock } from '../clock.js';
import { isFaultlineError } from '../errors.js';
import { runTagOf } from '../observe/envelope.js';
import { HistoryWriter, OBSERVATIONS_FILE } from '../observe/history.js';
import { initHistograms } from '../observe/histograms.js';
import { LagSampler } from '../observe/lag.js';
import type { RunEnd } from '../observe/notes.js';
import { Recorder } from '../observe/recorder.js';
import { planRun, type RunPlan } from '../plan/plan.js';
import { maskSecrets } from '../mask.js';
import type { Scenario } from '../scenario/schema.js';
import { clientFailure, onClientThrow, retryClientFailures } from './client-failure.js';
import { clusterView } from './cluster-view.js';
import type { Coordination } from './coordination.js';
import { drain } from './drain.js';
import { finalRead } from './final-read.js';
import { liveSample } from './live.js';
import { Producers, runLoad, type LoadContext } from './load-phase.js';
import { Members } from './members.js';
import type { RunOptions } from './options.js';
import { placeRun, type RunPlace } from './place.js';
import { Shutdown, Stage } from './shutdown.js';
import { Targets } from './targets.js';

/** What one process observed, before any judging: its history and how it ended. */
export interface Executed {
  plan: RunPlan;
  dir: string | null;
  historyFile: string;
  historyBytes: number;
  end: RunEnd;
  internalError?: Error;
  /** Removes the temp folder of a run without a folder. */
  cleanup(): void;
}

interface Step {
  scenario: Scenario;
  plan: RunPlan;
  place: RunPlace;
  targets: Targets;
  coord: Coordination;
  opts: RunOptions;
  clock: Clock;
  shutdown: Shutdown;
}

export async function execute(scenario: Scenario, opts: RunOptions, coord: Coordination): Promise<Executed> {
  const clock = opts.clock ?? systemClock;
  const plan = await planRun(scenario, { ...opts, hasBaseline: !!opts.baseline });
  await initHistograms();
  const place = await placeRun(scenario, plan, opts, coord, clock);
  const targets = await Targets.load(scenario, plan, place.context).catch(place.abandon);
  const shutdown = new Shutdown();
  const ending = await observe({ scenario, plan, place, targets, coord, opts, clock, shutdown }).then(
    (status): Ending => ({ status }),
    (err: unknown) => failure(err, opts.signal?.aborted ?? false),
  );
  await shutdown.run();
  const counted = await targets.close();
  if (!place.notes.attached) place.abandon(ending.thrown);
  const end: RunEnd = maskSecrets({ ...ending.end, status: ending.status, startedAt: place.startedAt.toISOString(), endedAt: new Date().toISOString(), ...counted, ...coord.endNote() });
  const history = place.notes.end(end);
  return { plan, dir: place.dir, historyFile: history.file, historyBytes: history.bytesWritten, end, ...(ending.internalError ? { internalError: ending.internalError } : {}), cleanup: place.removeTemp };
}

/** The run's observed part: set up, consumers, load, drain. Resolves with the status it ended in. */
async function observe(r: Step): Promise<RunEnd['status']> {
  const { scenario, plan, place, targets, coord, clock, shutdown } = r;
  const aborted = () => r.opts.signal?.aborted ?? false;
  shutdown.on(Stage.stop, () => place.notes.stopClientEvents());
  shutdown.on(Stage.heal, () => place.nemesis.heal());
  await retryClientFailures(() => targets.setup(), 20_000, 500, aborted);
  // a client library throwing from its own callbacks mid-run: the client failed, the run goes on
  shutdown.on(
    Stage.release,
    onClientThrow((failure) => place.notes.clientEvent({ kind: 'crash', reason: `${failure.message}; the run goes on` })),
  );
  const cluster = 'cluster' in plan.target ? plan.target.cluster : undefined;
  if (cluster) place.nemesis.attach(clusterView(cluster, targets.adapter, place.rng.fork(7)));
  if (targets.adapter.inProcess) place.nemesis.attachBroker(targets.adapter.inProcess);
  coord.topologyReady({ runId: place.runId, unique: place.unique });
  const { rec, history } = startHistory(r);
  const c: LoadContext = { scenario, plan, rec, clock, rng: place.rng, runId: place.runId, owns: (n) => coord.owns(n) };
  const members = await Members.start(scenario, targets, rec, { ...c, seed: plan.seed });
  shutdown.on(Stage.consumers, () => members.close());
  place.nemesis.attachConsumers(members.control());
  const producers = await Producers.open(c, targets);
  shutdown.on(Stage.producers, () => producers.close());
  shutdown.on(Stage.producers, () => targets.deadLetters?.closeProducers());
  shutdown.on(Stage.others, () => coord.finish(scenario.drain.deadline + 5000));
  const startAt = await coord.startAt(clock);
  const senders = producers.senders(c, startAt);
  shutdown.on(Stage.record, () => senders.forEach((s) => s.abandon()));
  rec.start(startAt);
  place.notes.start(startAt);
  place.nemesis.start(startAt);
  const lag = startLag(r, startAt);
  r.opts.metrics?.attach(liveSample(rec, lag, place.nemesis, { runId: place.runId, target: plan.targetName, subscriptions: scenario.workload.subscriptions }));
  const loadEndAt = await runLoad(c, senders, { startAt, dir: place.dir, notes: place.notes, signal: r.opts.signal, onProgress: r.opts.onProgress });
  // the broker's own backlog, asked of one process: 0 ends a quiet drain early (undefined or no answer: wait on)
  const lagOf = targets.consumed.lag?.bind(targets.consumed);
  const brokerEmpty =
    lagOf && coord.owns(0)
      ? async () =>
          (await settleWithin(
            1000,
            lagOf().catch(() => undefined),
          )) === 0
      : undefined;
  await drain(scenario, rec, coord, { clock, loadEndAt, aborted, flush: () => place.notes.flush(), brokerEmpty });
  if (aborted()) return 'aborted';
  // One process asks the broker for the whole run: its backlog once more, then its log read back.
  if (coord.owns(0) && scenario.workload.subscriptions > 0) {
    await lag.final();
    await finalRead(targets.consumed, history, place.notes, { runTag: runTagOf(place.runId), producers: scenario.workload.producers });
  }
  return aborted() ? 'aborted' : 'passed';
}

/** Opens the history and its recorder; released (and live metrics detached) at the very end. */
function startHistory({ scenario, plan, place, coord, clock, shutdown, opts }: Step): { rec: Recorder; history: HistoryWriter } {
  const w = scenario.workload;
  const history = new HistoryWriter(path.join(place.historyDir, OBSERVATIONS_FILE), {
    format: 1,
    runId: place.runId,
    runTag: runTagOf(place.runId),
    targetName: plan.targetName,
    seed: plan.seed,
    scenario: maskSecrets(scenario),
    producers: w.producers,
    subscriptions: w.subscriptions,
    keys: w.message.keys.count,
    // In pipeline mode every report is an effect the service applied: none may be de-duplicated here.
    dedupeEffects: scenario.pipeline ? false : scenario.effects.dedupe,
    startedAt: place.startedAt.toISOString(),
  });
  place.notes.attach(history);
  const rec = new Recorder({ clock, runTag: runTagOf(place.runId), producers: w.producers, subscriptions: w.subscriptions, history, local: (n) => coord.owns(n), totals: !!opts.metrics, warmupMs: plan.warmupMs });
  shutdown.on(Stage.release, () => opts.metrics?.detach());
  shutdown.on(Stage.release, () => rec.destroy());
  return { rec, history };
}

/** The backlog as the broker sees it, asked of the adapter faultline consumes from (one process asks for all). */
function startLag({ scenario, place, targets, coord, clock, shutdown }: Step, startAt: number): LagSampler {
  const lag = new LagSampler(targets.consumed, clock, startAt, (note) => place.notes.note(note));
  if (coord.owns(0) && scenario.workload.subscriptions > 0) lag.start();
  shutdown.on(Stage.stop, () => lag.stop());
  return lag;
}

interface Ending {
  status: RunEnd['status'];
  end?: Pick<RunEnd, 'error' | 'errorCode'>;
  internalError?: Error;
  thrown?: unknown;
}

/** How an error ends the run: a user's or the environment's (its code), or a bug in faultline. */
function failure(thrown: unknown, aborted: boolean): Ending {
  const err = clientFailure(thrown) ?? thrown;
  const known = isFaultlineError(err);
  return { status: aborted ? 'aborted' : 'error', end: { error: (err as Error).message, errorCode: known ? err.code : 'INTERNAL' }, ...(known ? {} : { internalError: err as Error }), thrown: err };
}
