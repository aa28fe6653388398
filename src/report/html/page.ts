// report.html: one self-contained page rendered from result.json alone. Markup comes from preact
// (every string escaped by construction); charts are drawn by uPlot, inlined with its CSS.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { h } from 'preact';
import { render } from 'preact-render-to-string';
import { decodeHistogram, initHistograms } from '../../observe/histograms.js';
import type { RunResult } from '../../result.js';
import { CLIENT_JS } from './client.js';
import { runBody } from './run-body.js';
import { n } from './parts.js';
import { STYLE } from './style.js';
import type { VNode } from './nodes.js';

const require = createRequire(import.meta.url);
let assets: { js: string; css: string } | undefined;
function uplot(): { js: string; css: string } {
  assets ??= {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return assets;
}

export const PERCENTILE_TICKS = [0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999];

/** Percentile curves of the run's encoded histograms, in ms (for the percentile plot). */
export async function percentileCurves(r: RunResult): Promise<Record<string, number[]>> {
  await initHistograms();
  const out: Record<string, number[]> = {};
  for (const k of ['e2e', 'publish'] as const) {
    if (!r.histograms[k]) continue;
    const hist = decodeHistogram(r.histograms[k]);
    if (hist.totalCount > 0) out[k] = PERCENTILE_TICKS.map((p) => hist.getValueAtPercentile(p) / 1000);
    hist.destroy();
  }
  return out;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface PageRun {
  result: RunResult;
  percentiles: Record<string, number[]>;
  /** Link to the run's own report, on comparison pages. */
  href?: string;
}

/** A run's name on a comparison: its target, or its run id when two runs share a target (baseline vs today). */
function labelOf(runs: PageRun[], r: RunResult): string {
  return runs.filter((x) => x.result.target.name === r.target.name).length > 1 ? r.runId : r.target.name;
}

/** What the page's script reads. */
function chartData(runs: PageRun[]) {
  return {
    percentileTicks: PERCENTILE_TICKS,
    runs: runs.map(({ result: r, percentiles }) => ({ label: labelOf(runs, r), publishOnly: r.delivery === 'not-checked', intervals: r.intervals, faults: r.faults, phases: r.phases, percentiles, lag: r.lag?.samples ?? [], clientEvents: r.clientEvents ?? [] })),
  };
}

function shell(title: string, body: VNode, data: unknown): string {
  const { js, css } = uplot();
  // JSON inside <script>: `<` escaped so no string can close the tag.
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeText(title)}</title><style>${css}\n${STYLE}</style></head><body>${render(body)}<script id="fl-data" type="application/json">${json}</script><script>${js}</script><script>${CLIENT_JS}</script></body></html>\n`;
}

export function renderRunPage(run: PageRun): string {
  return shell(`faultline · ${run.result.runId} · ${run.result.status}`, runBody(run.result), chartData([run]));
}

/** One page for several runs of a scenario (compare, or report of several folders). */
export function renderComparePage(runs: PageRun[]): string {
  // A publish-only run has no delivery figures: NaN shows as '-' and is never marked best.
  const seen = (f: (r: RunResult) => number) => (r: RunResult) => (r.delivery === 'not-checked' ? NaN : f(r));
  const rows: [string, (r: RunResult) => number, 'low' | 'high'][] = [
    ['attempted/s', (r) => r.throughput.attemptedPerSec, 'high'],
    ['acked/s', (r) => r.throughput.ackedPerSec, 'high'],
    ['delivered/s', seen((r) => r.throughput.deliveredPerSec), 'high'],
    ['lost', seen((r) => r.counts.lost), 'low'],
    ['duplicated', seen((r) => r.counts.duplicated), 'low'],
    ['reordered', seen((r) => r.counts.reordered), 'low'],
    ['unexpected', seen((r) => r.counts.unexpected), 'low'],
    ['failed + indeterminate', (r) => r.counts.failed + r.counts.indeterminate, 'low'],
    ['publish p99 (ms)', (r) => r.latency.publish.p99, 'low'],
    ['e2e p50 (ms)', seen((r) => r.latency.e2e.p50), 'low'],
    ['e2e p99 (ms)', seen((r) => r.latency.e2e.p99), 'low'],
    ['e2e max (ms)', seen((r) => r.latency.e2e.max), 'low'],
    ['recovery max (ms)', (r) => (r.recovery.length && r.recovery.every((x) => x.recoveryMs !== null) ? Math.max(...r.recovery.map((x) => x.recoveryMs as number)) : NaN), 'low'],
  ];
  const first = runs[0].result;
  const body = h(
    'main',
    null,
    h('section', { class: 'banner compare' }, h('h1', null, `Comparison: ${runs.map((r) => labelOf(runs, r.result)).join(' · ')}`), h('p', null, `${runs.length} runs of ${(first.scenario as { name?: string })?.name ?? first.runId}`)),
    h(
      'section',
      null,
      h('h2', null, 'Side by side'),
      h(
        'table',
        { class: 'compare' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', null, ''),
            runs.map((r) => h('th', null, r.href ? h('a', { href: r.href }, labelOf(runs, r.result)) : labelOf(runs, r.result))),
          ),
        ),
        h(
          'tbody',
          null,
          h(
            'tr',
            null,
            h('td', null, 'verdict'),
            runs.map((r) => h('td', { class: r.result.status === 'passed' ? 'pass' : 'fail' }, `${r.result.status} (${r.result.gates.filter((g) => g.passed).length}/${r.result.gates.length} gates)`)),
          ),
          rows.map(([label, get, better]) => {
            const vals = runs.map((r) => get(r.result));
            const finite = vals.filter(Number.isFinite);
            const best = finite.length ? (better === 'low' ? Math.min(...finite) : Math.max(...finite)) : NaN;
            // Later columns also show their change against the first (a baseline run, or the first target).
            const delta = (v: number, i: number) => (i > 0 && Number.isFinite(v) && Number.isFinite(vals[0]) && vals[0] !== 0 ? ` (${v >= vals[0] ? '+' : ''}${Math.round(((v - vals[0]) / Math.abs(vals[0])) * 100)}%)` : '');
            return h(
              'tr',
              null,
              h('td', null, label),
              vals.map((v, i) => h('td', { class: v === best && finite.length > 1 ? 'best' : '' }, Number.isFinite(v) ? `${n(Math.round(v * 1000) / 1000)}${delta(v, i)}` : '-')),
            );
          }),
        ),
      ),
      h('p', { class: 'muted' }, 'Bold: the best value of the row. In brackets: the change against the first column.'),
    ),
    h(
      'section',
      null,
      h('h2', null, 'Over time'),
      h('div', { id: 'chart-throughput', class: 'chart' }),
      h('div', { class: 'toolbar' }, h('button', { id: 'toggle-log', type: 'button' }, 'linear scale')),
      h('div', { id: 'chart-latency', class: 'chart' }),
      h('h2', null, 'Latency distribution'),
      h('div', { id: 'chart-percentiles', class: 'chart' }),
    ),
  );
  return shell(`faultline · comparison`, body, chartData(runs));
}
