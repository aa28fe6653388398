// `faultline check`: judges a stored run again from its observation history and the scenario saved in
// it, and writes the same result.json a live run writes (a run killed with -9 is judged as aborted).
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ScenarioError } from './errors.js';
import { HistoryFile, HistoryFormatError, OBSERVATIONS_FILE, type History } from './observe/history.js';
import { initHistograms } from './observe/histograms.js';
import { planRun } from './plan/plan.js';
import { writeReports } from './report/write.js';
import { buildResult, type RunEnd } from './result-builder.js';
import type { RunResult } from './result.js';
import { parseScenario } from './scenario/load.js';

export interface RecheckOptions {
  /** Overrides of the saved scenario, e.g. `gates=["lost == 0"]`. */
  set?: string[];
  baseline?: RunResult;
  /** Write result.json and the reports into the folder (default true). */
  write?: boolean;
  /** Write them into this folder instead of the run folder. */
  out?: string;
}

export function openHistory(folder: string): History {
  const file = path.join(folder, OBSERVATIONS_FILE);
  if (!existsSync(file)) throw new ScenarioError(`${folder} has no ${OBSERVATIONS_FILE}: is it a run folder (reports/<scenario>-<time>/) of faultline 0.2 or later?`);
  try {
    return new HistoryFile(file);
  } catch (err) {
    if (err instanceof HistoryFormatError) throw new ScenarioError(err.message);
    throw err;
  }
}

export async function recheckRun(folder: string, opts: RecheckOptions = {}): Promise<{ result: RunResult; truncated: boolean }> {
  const history = openHistory(folder);
  const { meta } = history;
  const file = path.join(folder, OBSERVATIONS_FILE);
  const { scenario } = parseScenario(JSON.stringify(meta.scenario), file, { set: opts.set ?? [] });
  const plan = await planRun(scenario, { target: meta.targetName, seed: meta.seed, hasBaseline: !!opts.baseline });
  await initHistograms();
  const notes = history.notes();
  const ended = notes.find((n) => n.type === 'end') as (RunEnd & { type: 'end' }) | undefined;
  // No end note: the process died before the run ended (kill -9); what it observed is still judged.
  const end: RunEnd = ended ? { ...ended } : { status: 'aborted', error: 'the run ended without finishing (killed?): judged from its history', startedAt: meta.startedAt, endedAt: statSync(file).mtime.toISOString(), adapterStats: {} };
  delete (end as { type?: string }).type;
  const result = buildResult({ plan, history, end, baseline: opts.baseline, historyBytes: statSync(file).size });
  if (opts.write ?? true) {
    const dir = opts.out ?? folder;
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'result.json'), JSON.stringify(result, null, 2));
    await writeReports(dir, result);
  }
  return { result, truncated: history.truncated };
}
