// One explored run: its schedule written as a scenario file first (the file replays it), then loaded
// and run like `faultline run` would, in its own folder, and judged to an outcome.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { EnvironmentError } from '../errors.js';
import type { RunResult } from '../result.js';
import { runScenario } from '../run/index.js';
import { loadScenarioFile } from '../scenario/load.js';
import { parseRate } from '../units.js';
import { outcomeOf, type Outcome } from './signature.js';
import { faultSpec, sortFaults, type Schedule } from './schedule.js';

export type Purpose = 'explore' | 'control' | 'reproduce' | 'shrink' | 'confirm';

export interface TriedRun {
  n: number;
  purpose: Purpose;
  schedule: Schedule;
  /** The scenario file of this run, relative to the explore folder. */
  file: string;
  /** Its run folder (report.html, result.json, observations.bin), relative to the explore folder. */
  dir: string | null;
  outcome: Outcome;
  /** The run's delivery counts, for the page. */
  lost: number;
  /** What each fault hit, as the run's fault log has it: nodes or members, and who led before and after. */
  hit?: string[];
  durationMs: number;
}

/** Whether the scenario's rate is one number the load multiplier can scale. */
export const scalableRate = (original: string): boolean => {
  const rate = (parse(original) as { workload?: { rate?: unknown } })?.workload?.rate;
  return (typeof rate === 'string' || typeof rate === 'number') && parseRate(rate) !== undefined;
};

/** The original scenario with the schedule's faults (and its rate scaled): what `faultline run` replays. */
export function scheduleScenario(original: string, s: Schedule, note: string): string {
  const doc = parse(original) as Record<string, unknown> & { workload: { rate?: string | number } };
  delete doc.explore;
  delete doc.shows;
  doc.faults = sortFaults(s.faults).map(faultSpec);
  if (s.rate !== 1 && doc.workload.rate !== undefined) doc.workload.rate = `${Math.max(1, Math.round(parseRate(doc.workload.rate)! * s.rate))}/s`;
  return `# ${note}\n${stringify(doc, { lineWidth: 0 })}`;
}

/** Writes the schedule's file under `dir/runs/`, runs it there, and judges it. An environment error is thrown: nothing can be learnt without the system. */
export async function runSchedule(dir: string, original: string, n: number, purpose: Purpose, s: Schedule, opts: { target?: string; signal?: AbortSignal }): Promise<TriedRun> {
  const name = `${String(n).padStart(3, '0')}-${purpose}`;
  const folder = path.join(dir, 'runs', name);
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'scenario.yaml');
  writeFileSync(file, scheduleScenario(original, s, `faultline explore, run ${n} (${purpose}): replay with faultline run ${file}`));
  const t0 = performance.now();
  let result: RunResult;
  let runDir: string | null;
  try {
    const { scenario } = loadScenarioFile(file);
    const out = await runScenario(scenario, { outDir: folder, target: opts.target, signal: opts.signal });
    result = out.result;
    if (result.errorCode === 'ENVIRONMENT') throw new EnvironmentError(result.error ?? 'the environment failed');
    runDir = out.dir ? path.relative(dir, out.dir) : null;
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    const outcome: Outcome = { kind: 'inconclusive', why: (err as Error).message };
    return { n, purpose, schedule: s, file: path.relative(dir, file), dir: null, outcome, lost: NaN, durationMs: performance.now() - t0 };
  }
  const hit = result.faults.map((f) => `${(f.nodes ?? f.members ?? [f.target]).join(',')}${f.leaderBefore ? ` (leader ${f.leaderBefore} → ${f.leaderAfter ?? '?'})` : ''}`);
  return { n, purpose, schedule: s, file: path.relative(dir, file), dir: runDir, outcome: outcomeOf(result), lost: result.counts.lost, hit, durationMs: Math.round(performance.now() - t0) };
}
