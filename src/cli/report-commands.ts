// `faultline compare` and `faultline report`: run or reload several results and write their pages.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findCapacity, type CapacityOptions } from '../capacity.js';
import { ScenarioError } from '../errors.js';
import { percentileCurves, renderComparePage, type PageRun } from '../report/html/page.js';
import { writeReports, REPORT_FILES } from '../report/write.js';
import { renderOmb } from '../report/omb.js';
import { runResultSchema, type RunResult } from '../result.js';
import { OBSERVATIONS_FILE, runScenario } from '../run.js';
import { recheckRun } from '../recheck.js';
import type { Scenario } from '../scenario/schema.js';
import { progressPrinter } from './progress.js';

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export function readResult(folder: string): RunResult {
  const file = path.join(folder, 'result.json');
  if (!existsSync(file)) throw new ScenarioError(`${folder} has no result.json: is it a run folder (reports/<scenario>-<time>/)?`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ScenarioError(`${file} is not readable JSON (${(err as Error).message}); a run killed early leaves intervals.ndjson only`);
  }
  const parsed = runResultSchema.safeParse(json);
  if (!parsed.success) throw new ScenarioError(`${file} does not match the result schema: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * Runs the scenario on each target in turn into one folder with a comparison page. With `capacity`,
 * each target gets a capacity search instead, and the page compares the confirming holds: every
 * broker at the highest rate it sustained under the same e2e p99 bound.
 */
export async function compareRuns(scenario: Scenario, targets: string[], opts: { out?: string; quiet: boolean; signal: AbortSignal; capacity?: Omit<CapacityOptions, 'target' | 'signal' | 'outDir'> }) {
  const unknown = targets.filter((t) => !scenario.targets[t]);
  if (unknown.length) throw new ScenarioError(`no target ${unknown.map((u) => `'${u}'`).join(', ')} in the scenario (it has: ${Object.keys(scenario.targets).join(', ')})`);
  const parent = opts.out ?? scenario.report.out;
  const dir = path.join(parent, `compare-${opts.capacity ? 'capacity-' : ''}${scenario.name}-${stamp()}`);
  mkdirSync(dir, { recursive: true });
  const runs: PageRun[] = [];
  const lines: string[] = [];
  const capacities: Record<string, unknown>[] = [];
  let allPassed = true;
  for (const target of targets) {
    if (opts.signal.aborted) break;
    if (!opts.quiet) process.stderr.write(`faultline: ${scenario.name} on ${target}${opts.capacity ? `: capacity under e2e p99 ${opts.capacity.p99Ms} ms` : ''}\n`);
    if (opts.capacity) {
      const found = await findCapacity(scenario, { ...opts.capacity, target, signal: opts.signal, outDir: dir });
      const { hold, ...rest } = found;
      capacities.push({ target, ...rest });
      if (hold) runs.push({ result: hold.result, percentiles: await percentileCurves(hold.result), href: `${path.basename(hold.dir!)}/${REPORT_FILES.html}` });
      allPassed &&= found.rate !== null;
      const rate = found.rate === null ? 'none sustained' : `${found.rate.toLocaleString('en-US')}/s${found.capped ? ' or more (search capped)' : ''}`;
      lines.push(`${target.padEnd(12)} capacity ${rate}${hold ? `  e2e p50 ${hold.result.latency.e2e.p50} ms  p99 ${hold.result.latency.e2e.p99} ms  lost ${hold.result.counts.lost}` : ''}`);
      continue;
    }
    const progress = progressPrinter(process.stderr, opts.quiet);
    // Each run heals its faults and tears down before the next one starts.
    const { result, dir: runDir } = await runScenario(scenario, { target, outDir: dir, signal: opts.signal, onProgress: progress.update });
    progress.done();
    runs.push({ result, percentiles: await percentileCurves(result), href: `${path.basename(runDir!)}/${REPORT_FILES.html}` });
    allPassed &&= result.status === 'passed';
    lines.push(`${target.padEnd(12)} ${result.status.padEnd(7)} delivered ${result.throughput.deliveredPerSec}/s  lost ${result.counts.lost}  e2e p50 ${result.latency.e2e.p50} ms  p99 ${result.latency.e2e.p99} ms`);
  }
  if (opts.capacity) writeFileSync(path.join(dir, 'capacity.json'), JSON.stringify({ scenario: scenario.name, p99Ms: opts.capacity.p99Ms, targets: capacities }, null, 2));
  const page = path.join(dir, 'index.html');
  if (runs.length) writeFileSync(page, renderComparePage(runs));
  return { page, summary: lines.join('\n'), allPassed, aborted: opts.signal.aborted };
}

export async function reportFolders(folders: string[], out?: string): Promise<string[]> {
  const lines: string[] = [];
  const results: { folder: string; result: RunResult }[] = [];
  for (const f of folders) {
    // A run killed with -9 left no result.json: judge its history (status aborted) and render that.
    if (!existsSync(path.join(f, 'result.json')) && existsSync(path.join(f, OBSERVATIONS_FILE))) {
      results.push({ folder: f, result: (await recheckRun(f)).result });
      lines.push(`judged ${path.join(f, OBSERVATIONS_FILE)} (no result.json): status ${results.at(-1)!.result.status}`);
    } else results.push({ folder: f, result: readResult(f) });
  }
  for (const { folder, result } of results) {
    await writeReports(folder, result);
    lines.push(`wrote ${path.join(folder, REPORT_FILES.html)}`);
  }
  if (results.length > 1) {
    const page = out ?? path.join(path.dirname(results[0].folder), `compare-${stamp()}.html`);
    const runs: PageRun[] = [];
    for (const { folder, result } of results) runs.push({ result, percentiles: await percentileCurves(result), href: path.relative(path.dirname(page), path.join(folder, REPORT_FILES.html)) });
    writeFileSync(page, renderComparePage(runs));
    lines.push(`wrote ${page}`);
  }
  return lines;
}

/** Writes `omb.json` (OpenMessaging Benchmark's result format) into each run folder. */
export async function ombFolders(folders: string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const folder of folders) {
    const file = path.join(folder, 'omb.json');
    writeFileSync(file, JSON.stringify(await renderOmb(readResult(folder)), null, 2));
    lines.push(`wrote ${file}`);
  }
  return lines;
}
