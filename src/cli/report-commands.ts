// `faultline report`: reload saved results (or judge a killed run's history) and write their pages.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ScenarioError } from '../errors.js';
import { percentileCurves, renderComparePage, type PageRun } from '../report/html/page.js';
import { writeReports, REPORT_FILES } from '../report/write.js';
import { renderOmb } from '../report/omb.js';
import { runResultSchema, type RunResult } from '../result.js';
import { recheckRun } from '../recheck.js';
import { OBSERVATIONS_FILE } from '../observe/history.js';
import { utcStamp } from '../timestamp.js';

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
  if (!parsed.success)
    throw new ScenarioError(
      `${file} does not match the result schema: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
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
    const page = out ?? path.join(path.dirname(results[0].folder), `compare-${utcStamp(new Date())}.html`);
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
