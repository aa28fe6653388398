// Compare mode: one scenario on several targets in turn (or a capacity search on each), and one
// comparison page of them, every broker measured by the same workload and faults.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findCapacity, type CapacityOptions } from './capacity.js';
import { ScenarioError } from './errors.js';
import { percentileCurves, renderComparePage, type PageRun } from './report/html/page.js';
import { REPORT_FILES } from './report/write.js';
import { runScenario, type Progress } from './run/index.js';
import type { Scenario } from './scenario/schema.js';
import { utcStamp } from './timestamp.js';

export interface CompareOptions {
  out?: string;
  signal?: AbortSignal;
  /** Compare by sustainable throughput: a capacity search per target. */
  capacity?: Omit<CapacityOptions, 'target' | 'signal' | 'outDir'>;
  onTarget?: (target: string) => void;
  onTargetDone?: (target: string) => void;
  onProgress?: (p: Progress) => void;
}

export interface CompareOutcome {
  page: string;
  /** One line per target. */
  summary: string;
  allPassed: boolean;
  aborted: boolean;
}

/**
 * Runs the scenario on each target in turn into one folder with a comparison page. With `capacity`,
 * each target gets a capacity search instead, and the page compares the confirming holds: every
 * broker at the highest rate it sustained under the same e2e p99 bound.
 */
export async function compareRuns(scenario: Scenario, targets: string[], opts: CompareOptions): Promise<CompareOutcome> {
  const unknown = targets.filter((t) => !scenario.targets[t]);
  if (unknown.length) throw new ScenarioError(`no target ${unknown.map((u) => `'${u}'`).join(', ')} in the scenario (it has: ${Object.keys(scenario.targets).join(', ')})`);
  const parent = opts.out ?? scenario.report.out;
  const dir = path.join(parent, `compare-${opts.capacity ? 'capacity-' : ''}${scenario.name}-${utcStamp(new Date())}`);
  mkdirSync(dir, { recursive: true });
  const runs: PageRun[] = [];
  const lines: string[] = [];
  const capacities: Record<string, unknown>[] = [];
  let allPassed = true;
  for (const target of targets) {
    if (opts.signal?.aborted ?? false) break;
    opts.onTarget?.(target);
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
    // Each run heals its faults and tears down before the next one starts.
    const { result, dir: runDir } = await runScenario(scenario, { target, outDir: dir, signal: opts.signal, onProgress: opts.onProgress });
    opts.onTargetDone?.(target);
    runs.push({ result, percentiles: await percentileCurves(result), href: `${path.basename(runDir!)}/${REPORT_FILES.html}` });
    allPassed &&= result.status === 'passed';
    lines.push(`${target.padEnd(12)} ${result.status.padEnd(7)} delivered ${result.throughput.deliveredPerSec}/s  lost ${result.counts.lost}  e2e p50 ${result.latency.e2e.p50} ms  p99 ${result.latency.e2e.p99} ms`);
  }
  if (opts.capacity) writeFileSync(path.join(dir, 'capacity.json'), JSON.stringify({ scenario: scenario.name, p99Ms: opts.capacity.p99Ms, targets: capacities }, null, 2));
  const page = path.join(dir, 'index.html');
  if (runs.length) writeFileSync(page, renderComparePage(runs));
  return { page, summary: lines.join('\n'), allPassed, aborted: opts.signal?.aborted ?? false };
}
