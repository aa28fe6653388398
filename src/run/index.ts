// Running a scenario: a local run judged into its result and reports, or one shard of a split run
// that only observes (`faultline merge` judges the shards together).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { HistoryFile } from '../observe/history.js';
import type { RunEnd } from '../observe/notes.js';
import { writeReports } from '../report/write.js';
import { buildResult } from '../result-builder.js';
import type { RunResult } from '../result.js';
import type { Scenario } from '../scenario/schema.js';
import { LocalRun, ShardRun } from './coordination.js';
import { execute } from './execute.js';
import type { RunOptions, ShardOptions } from './options.js';

export { runFolder } from './coordination.js';
export type { Progress, RunOptions, ShardOptions } from './options.js';

export interface RunOutcome {
  result: RunResult;
  dir: string | null;
  /** A bug in faultline ended the run (its result has status error): the CLI prints its stack and exits 4. */
  internalError?: Error;
  /** Set when result.json was written but a report (HTML, JUnit, Markdown) could not be. */
  reportError?: string;
}

export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<RunOutcome> {
  const run = await execute(scenario, opts, new LocalRun());
  const result = buildResult({ plan: run.plan, history: new HistoryFile(run.historyFile), end: run.end, baseline: opts.baseline, historyBytes: run.historyBytes });
  opts.metrics?.finish(result);
  run.cleanup();
  const reportError = run.dir ? await writeRun(run.dir, result) : undefined;
  return { result, dir: run.dir, ...(reportError ? { reportError } : {}), ...(run.internalError ? { internalError: run.internalError } : {}) };
}

/** Writes result.json and the reports; the error of a report that could not be written. */
async function writeRun(dir: string, result: RunResult): Promise<string | undefined> {
  writeFileSync(path.join(dir, 'result.json'), JSON.stringify(result, null, 2));
  return writeReports(dir, result).then(
    () => undefined,
    (err: Error) => err.message,
  );
}

/**
 * One shard of a run split over processes: its producers (p mod count), its consumer members
 * (m mod count), the nemesis on shard 0; it meets the others only through the store, and leaves its
 * history in its shard folder for `faultline merge`. Judges nothing.
 */
export async function runShard(scenario: Scenario, opts: ShardOptions): Promise<{ dir: string; end: RunEnd; internalError?: Error }> {
  const run = await execute(scenario, opts, new ShardRun(opts.store));
  return { dir: run.dir!, end: run.end, ...(run.internalError ? { internalError: run.internalError } : {}) };
}
