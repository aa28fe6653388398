// Writes every report of a run beside its result.json: report.html, junit.xml, summary.md.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunResult } from '../result.js';
import { percentileCurves, renderRunPage } from './html/page.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

export const REPORT_FILES = { html: 'report.html', junit: 'junit.xml', markdown: 'summary.md' } as const;

export async function writeReports(dir: string, result: RunResult): Promise<void> {
  writeFileSync(path.join(dir, REPORT_FILES.junit), renderJunit(result));
  writeFileSync(path.join(dir, REPORT_FILES.markdown), renderMarkdown(result));
  writeFileSync(path.join(dir, REPORT_FILES.html), renderRunPage({ result, percentiles: await percentileCurves(result) }));
}
