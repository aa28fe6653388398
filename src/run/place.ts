// The first step of a run: who it is (its id and the suffix of its resource names), where its files
// go, its nemesis (checked against Toxiproxy before any broker is touched) and its note log.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AdapterContext } from '../adapters/types.js';
import { Random, type Clock } from '../clock.js';
import { STATE_FILE } from '../nemesis/heal.js';
import { Nemesis } from '../nemesis/nemesis.js';
import { runTagOf } from '../observe/envelope.js';
import { NoteLog } from '../observe/note-log.js';
import type { RunPlan } from '../plan/plan.js';
import type { Scenario } from '../scenario/schema.js';
import { utcStamp } from '../timestamp.js';
import type { Coordination } from './coordination.js';
import type { RunOptions } from './options.js';

export interface RunPlace {
  runId: string;
  /** The run folder; null for a run written nowhere. */
  dir: string | null;
  /** Suffix of the run's topic/queue/stream names. */
  unique: string;
  startedAt: Date;
  rng: Random;
  nemesis: Nemesis;
  notes: NoteLog;
  /** Where the history goes: the run folder, or a temp folder removed after the check. */
  historyDir: string;
  /** The adapters' context for a resource named with `suffix`. */
  context(suffix: string): AdapterContext;
  /** Removes the temp folder of a run without a folder. */
  removeTemp(): void;
  /** The run ended before its history began: nothing of it is kept; rethrows `err`. */
  abandon(err: unknown): never;
}

/** Runs started by this process: two runs of one scenario with one seed in one millisecond still differ. */
let runsStarted = 0;

export async function placeRun(scenario: Scenario, plan: RunPlan, opts: RunOptions, coord: Coordination, clock: Clock): Promise<RunPlace> {
  const startedAt = new Date();
  const rng = new Random(plan.seed);
  const nth = ++runsStarted;
  const mine = { runId: `${scenario.name}-${utcStamp(startedAt)}`, unique: `${Date.now().toString(36)}${rng.int(1e6).toString(36)}${nth.toString(36)}` };
  const id = await coord.identity(mine);
  const folder = coord.folder(id, { parent: opts.outDir ?? scenario.report.out, name: scenario.name, at: startedAt, write: opts.write ?? true, nth });
  const { runId, dir } = folder;
  opts.onStart?.({ runId, dir, plan });
  const notes = new NoteLog(clock);
  const nemesis = new Nemesis(coord.owns(0) ? plan.faults : [], { clock, runId, prefix: `faultline-${runTagOf(runId).toString(36)}`, stateFile: dir ? path.join(dir, STATE_FILE) : null, onEntry: (entry) => notes.note({ type: 'faults', entries: [entry] }) });
  await nemesis.check().catch((err: unknown) => {
    coord.discard(folder);
    throw err;
  });
  const historyDir = dir ?? mkdtempSync(path.join(os.tmpdir(), 'faultline-'));
  const removeTemp = () => (dir ? undefined : rmSync(historyDir, { recursive: true, force: true }));
  const w = scenario.workload;
  return {
    runId,
    dir,
    unique: id.unique,
    startedAt,
    rng,
    nemesis,
    notes,
    historyDir,
    context: (suffix) => ({ runId, onClientEvent: notes.clientEvent, resourceName: `fl-${scenario.name}${suffix}-${id.unique}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'), subscriptions: w.subscriptions, seed: plan.seed, ...(coord.shard ? { shard: coord.shard } : {}) }),
    removeTemp,
    abandon(err: unknown): never {
      coord.discard(folder);
      removeTemp();
      throw err;
    },
  };
}
