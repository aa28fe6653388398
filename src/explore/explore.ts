// `faultline explore`: random fault schedules against a scenario's target (about one run in four a
// control with no faults), then each failure signature not also seen in controls reproduced, shrunk
// to the smallest schedule that still fails with it, and that minimal schedule run again to say how
// often it fails. Everything tried is on disk as it happens (explore.json, each run's scenario file
// and folder), so a stopped exploration resumes where it was.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ScenarioError } from '../errors.js';
import { loadScenarioFile } from '../scenario/load.js';
import { utcStamp } from '../timestamp.js';
import { VERSION } from '../version.js';
import { ScheduleGenerator } from './generate.js';
import { writeExplorePage } from './page.js';
import { runSchedule, scalableRate, scheduleScenario, type Purpose, type TriedRun } from './runner.js';
import type { Fault, Schedule } from './schedule.js';
import { shrink, type ShrinkStep } from './shrink.js';
import { spaceOf, type Space } from './space.js';
import { loadState, saveState, type ExploreState, type Finding } from './state.js';
import { rejectAfter, wilson } from './stats.js';

export interface ExploreOptions {
  target?: string;
  /** Exploration runs (controls included). */
  runs: number;
  budgetMs: number;
  seed?: number;
  /** Parent folder of the explore folder (default: the scenario's report.out). */
  out?: string;
  /** An explore folder to continue. */
  resume?: string;
  signal?: AbortSignal;
  onRun?: (r: TriedRun, of: string) => void;
  onStep?: (s: ShrinkStep, f: Finding) => void;
}

/** Re-runs of a failing schedule before shrinking it, and of the minimal one after. */
const REPRODUCE_RUNS = 2;
const CONFIRM_RUNS = 3;
const ROLES = ['leader', 'followers', 'random-node'];

export async function explore(file: string, o: ExploreOptions): Promise<{ dir: string; state: ExploreState }> {
  const resumed = o.resume ? loadState(o.resume) : null;
  const source = resumed ? path.join(o.resume!, 'original.yaml') : file;
  const { scenario } = loadScenarioFile(source);
  const target = o.target ?? resumed?.target ?? Object.keys(scenario.targets)[0];
  if (!scenario.targets[target]) throw new ScenarioError(`--target ${target}: the scenario has no such target (it has: ${Object.keys(scenario.targets).join(', ')})`);
  const space = spaceOf(scenario, target);
  if (typeof space === 'string') throw new ScenarioError(space);
  const original = onlyTarget(readFileSync(source, 'utf8'), target);
  if (!scalableRate(original)) space.spec.rate = { min: 1, max: 1 };
  const dir = o.resume ?? path.join(o.out ?? scenario.report.out, `explore-${scenario.name}-${utcStamp(new Date())}`);
  mkdirSync(dir, { recursive: true });
  if (!resumed) writeFileSync(path.join(dir, 'original.yaml'), readFileSync(source, 'utf8'));
  const state: ExploreState = resumed ?? { faultline: VERSION, scenario: path.resolve(file), target, seed: o.seed ?? scenario.seed ?? 1, runsAsked: o.runs, budgetMs: o.budgetMs, startedAt: new Date().toISOString(), elapsedMs: 0, runs: [], findings: [], done: false };
  if (resumed) Object.assign(state, { runsAsked: Math.max(state.runsAsked, o.runs), budgetMs: o.budgetMs, done: false });
  const t0 = performance.now();
  const spent = state.elapsedMs;
  const over = () => (o.signal?.aborted ?? false) || spent + (performance.now() - t0) >= state.budgetMs;
  const run = async (purpose: Purpose, s: Schedule, of: string): Promise<TriedRun> => {
    const r = await runSchedule(dir, original, state.runs.length + 1, purpose, s, { target, signal: o.signal });
    state.runs.push(r);
    state.elapsedMs = Math.round(spent + performance.now() - t0);
    saveState(dir, state);
    o.onRun?.(r, of);
    return r;
  };

  // 1. random schedules (the generator replays the runs a resumed exploration already made)
  const gen = new ScheduleGenerator(state.seed);
  const explored = () => state.runs.filter((r) => r.purpose === 'explore' || r.purpose === 'control').length;
  for (let i = 0; i < explored(); i++) gen.next(space);
  while (explored() < state.runsAsked && !over()) {
    const { schedule, control } = gen.next(space);
    await run(control ? 'control' : 'explore', schedule, `${explored() + 1}/${state.runsAsked}`);
  }

  // 2. each signature the controls did not also show: reproduced, shrunk, confirmed
  updateFindings(state);
  for (const f of state.findings) {
    if (f.background || f.status === 'shrunk' || f.status === 'not reproducible' || over()) continue;
    await pursue(f, state, space, original, dir, run, over, o);
    saveState(dir, state);
  }
  state.done = !over();
  state.elapsedMs = Math.round(spent + performance.now() - t0);
  saveState(dir, state);
  await writeExplorePage(dir, state, space.durationMs);
  return { dir, state };
}

/** A finding per failure signature, in the order first seen; background if a control failed with it too. */
export function updateFindings(state: ExploreState): void {
  const background = new Set(state.runs.filter((r) => r.purpose === 'control' && r.outcome.kind === 'failed').map((r) => (r.outcome as { signature: string }).signature));
  for (const r of state.runs) {
    if (r.purpose !== 'explore' || r.outcome.kind !== 'failed') continue;
    const signature = r.outcome.signature;
    const known = state.findings.find((f) => f.signature === signature);
    if (known) known.background = background.has(signature);
    else state.findings.push({ signature, firstRun: r.n, background: background.has(signature), status: 'found' });
  }
}

async function pursue(f: Finding, state: ExploreState, space: Space, original: string, dir: string, run: (p: Purpose, s: Schedule, of: string) => Promise<TriedRun>, over: () => boolean, o: ExploreOptions): Promise<void> {
  const failing = state.runs.find((r) => r.n === f.firstRun)!.schedule;
  const same = (r: TriedRun) => r.outcome.kind === 'failed' && r.outcome.signature === f.signature;
  if (!f.reproduced) {
    let failed = 0;
    for (let i = 0; i < REPRODUCE_RUNS; i++) {
      if (over()) return void (f.status = 'stopped by the budget');
      if (same(await run('reproduce', failing, `${i + 1}/${REPRODUCE_RUNS} of ${f.signature}`))) failed++;
    }
    f.reproduced = { failed, runs: REPRODUCE_RUNS };
  }
  if (f.reproduced.failed === 0) return void (f.status = 'not reproducible');
  // Laplace's estimate of the failure rate: two failures in two runs are not proof that it always fails
  f.rejectAfter = rejectAfter((f.reproduced.failed + 1) / (f.reproduced.runs + 2));
  let tried = 0;
  const shrunk = await shrink(failing, async (s) => same(await run('shrink', s, `step ${++tried} of ${f.signature}`)), {
    rejectAfter: f.rejectAfter,
    windowMin: space.spec.window.min,
    rateMin: space.spec.rate.min,
    simpler: (fault) => simpler(fault, space),
    stop: over,
    onStep: (s) => o.onStep?.(s, f),
  });
  Object.assign(f, { shrinkPath: shrunk.steps, shrinkRuns: shrunk.runs, minimal: shrunk.minimal });
  const index = state.findings.filter((x) => x.minimalFile).length;
  f.minimalFile = index === 0 ? 'minimal.yaml' : `minimal-${index + 1}.yaml`;
  writeFileSync(path.join(dir, f.minimalFile), scheduleScenario(original, shrunk.minimal, `faultline explore: the smallest schedule found that fails with ${f.signature}; replay with faultline run ${f.minimalFile}`));
  let failed = 0;
  let runs = 0;
  for (; runs < CONFIRM_RUNS && !over(); runs++) if (same(await run('confirm', shrunk.minimal, `${runs + 1}/${CONFIRM_RUNS} of the minimal ${f.signature}`))) failed++;
  f.confirmed = { failed, runs, interval: wilson(failed, runs) };
  f.status = over() && runs < CONFIRM_RUNS ? 'stopped by the budget' : 'shrunk';
}

/** Simpler aims for a fault: roles before its own (random-node → leader, followers), one member instead of all. */
function simpler(f: Fault, space: Space): Partial<Fault>[] {
  if (f.kind === 'consumer') return f.target === 'all' ? [{ target: '0' }] : [];
  const i = ROLES.indexOf(f.target);
  const before = i < 0 ? ROLES : ROLES.slice(0, i);
  return before.filter((t) => space.templates.some((x) => x.kind === f.kind && x.target === t)).map((target) => ({ target }));
}

/** The scenario with only the explored target, so `faultline run` of any run's file replays that target. */
function onlyTarget(text: string, target: string): string {
  const doc = parse(text) as { targets: Record<string, unknown> };
  doc.targets = { [target]: doc.targets[target] };
  return stringify(doc, { lineWidth: 0 });
}
