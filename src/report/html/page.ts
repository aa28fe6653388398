// report.html: one self-contained page rendered from result.json alone. Markup comes from preact
// (every string escaped by construction); charts are drawn by uPlot, inlined with its CSS.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { h, type ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import { decodeHistogram, initHistograms } from '../../observe/histograms.js';
import type { RunResult } from '../../result.js';
import { formatMs } from '../../units.js';
import { CLIENT_JS } from './client.js';
import { nodeTimeline } from './nodes.js';
import { STYLE } from './style.js';

// preact's VNode<{}> is too narrow for elements with props; any element is fine here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type VNode = ReturnType<typeof h<any>>;

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

import { maskSecrets } from '../../mask.js';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const n = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US') : 'unknown');
const table = (head: string[], rows: ComponentChildren[][], cls = '') =>
  h('table', { class: cls }, h('thead', null, h('tr', null, head.map((c) => h('th', null, c)))), h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c))))));

function card(label: string, value: string, bad = false, note?: string): VNode {
  return h('div', { class: `card${bad ? ' bad' : ''}` }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), note ? h('div', { class: 'note' }, note) : null);
}

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
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeText(title)}</title><style>${css}\n${STYLE}</style></head><body>${render(body)}<script id="fl-data" type="application/json">${json}</script><script>${js}</script><script>${CLIENT_JS}</script></body></html>\n`;
}

function gatesTable(r: RunResult): VNode {
  return table(
    ['', 'gate', 'phase', 'value'],
    r.gates.map((g) => [h('span', { class: g.passed ? 'pass' : 'fail' }, g.passed ? '✓' : g.verdict === 'unknown' ? '?' : '✗'), h('code', null, g.expr), g.phase ?? 'run', g.value === null ? (g.error ?? 'no value') : n(Math.round(g.value * 1000) / 1000)]),
    'gates',
  );
}

function sampleTable(title: string, samples: { id: string; key: number; subscription: number }[], total: number): VNode {
  return h('details', { open: total > 0 }, h('summary', null, `${title}: ${n(total)}${total > samples.length ? ` (first ${samples.length})` : ''}`), samples.length ? table(['event id', 'key', 'subscription'], samples.map((s) => [h('code', null, s.id), s.key >= 0 ? `k${s.key}` : '-', String(s.subscription)])) : h('p', { class: 'muted' }, 'none'));
}

export function runBody(r: RunResult): VNode {
  const k = r.counts;
  const banner = h(
    'section',
    { class: `banner ${r.status}` },
    h('h1', null, r.status === 'passed' ? 'PASSED' : r.status === 'failed' ? 'FAILED' : r.status.toUpperCase(), h('span', { class: 'run' }, ` ${r.runId}`)),
    h('p', null, `target ${r.target.name} (${r.target.adapter}) · seed ${r.seed} · ${r.startedAt} · ${(r.durationMs / 1000).toFixed(1)} s`),
    r.error ? h('p', { class: 'error' }, r.error) : null,
    ...Object.entries(r.verdicts ?? {})
      .filter(([, v]) => v.valid === false)
      .map(([name, v]) => h('p', { class: 'error' }, `${name}: ${v.why ?? 'invalid'}`)),
    r.unknown.length ? h('p', { class: 'error' }, `not judged (no data, or a checker failed; never counted as a pass): ${r.unknown.join('; ')}`) : null,
    r.gates.length ? gatesTable(r) : h('p', null, 'no gates'),
  );
  const checked = r.delivery !== 'not-checked';
  const cards = h(
    'section',
    { class: 'cards' },
    card('attempted', n(k.attempted), false, `${n(r.throughput.attemptedPerSec)}/s`),
    card('acked', n(k.acked), false, `${n(r.throughput.ackedPerSec)}/s`),
    ...(checked
      ? [
          card('delivered', n(k.delivered), false, `${n(r.throughput.deliveredPerSec)}/s`),
          card('lost', n(k.lost), k.lost > 0),
          card('duplicated', n(k.duplicated), k.duplicated > 0, `${n(k.duplicateDeliveries)} extra deliveries`),
          card('reordered', n(k.reordered), k.reordered > 0),
          card('recovered', n(k.recovered), false, `of ${n(k.indeterminate)} indeterminate`),
          card('unexpected', n(k.unexpected), k.unexpected > 0),
          ...(k.poisoned || k.deadLettered ? [card('dead-lettered', n(k.deadLettered), k.deadLettered !== k.poisoned, `of ${n(k.poisoned)} poison events`)] : []),
          card('idempotency violations', n(k.idempotencyViolations), k.idempotencyViolations > 0),
        ]
      : [card('delivery', 'not checked', false, 'publish only (workload.subscriptions 0)')]),
    card('publish p99', formatMs(r.latency.publish.p99)),
    checked ? card('e2e p99', formatMs(r.latency.e2e.p99), false, `p50 ${formatMs(r.latency.e2e.p50)}`) : null,
    card('failed / indeterminate', `${n(k.failed)} / ${n(k.indeterminate)}`, k.failed + k.indeterminate > 0),
  );
  const charts = h(
    'section',
    null,
    h('h2', null, 'Over time'),
    h('div', { id: 'chart-throughput', class: 'chart' }),
    h('div', { class: 'toolbar' }, h('button', { id: 'toggle-log', type: 'button' }, 'linear scale')),
    h('div', { id: 'chart-latency', class: 'chart' }),
    ...(checked && r.lag
      ? r.lag.samples.length
        ? [h('div', { id: 'chart-lag', class: 'chart' }), h('p', { class: 'muted' }, `Consumer lag as the broker reported it: ${r.lag.source ?? ''}. Max ${n(r.lag.max ?? 0)}, final ${n(r.lag.final ?? 0)} (after the drain).`)]
        : [h('p', { class: 'muted' }, `Consumer lag: no data (${r.lag.why ?? 'no samples'}).`)]
      : []),
    h('p', { class: 'muted' }, 'Shaded: fault windows. Dashed: phase boundaries. Ticks at the foot: client events (amber: rebalance, red: crash, purple: reconnect). e2e is measured from the intended send time, so a stalled producer cannot hide a stall.'),
    h('h2', null, 'Latency distribution'),
    h('div', { id: 'chart-percentiles', class: 'chart' }),
  );
  const phases = h(
    'section',
    null,
    h('h2', null, 'Phases'),
    table(
      ['phase', 'from', 'to', 'attempted/s', 'acked/s', 'delivered/s', 'failed', 'indeterminate', 'e2e p50', 'e2e p99', 'publish p99', 'lag max', 'lag final', 'recovery'],
      r.phases.map((p) => {
        const rec = p.name.startsWith('fault-') ? r.recovery.find((x) => x.fault === p.name) : undefined;
        return [p.name, secs(p.startMs), secs(p.endMs), n(p.throughput.attemptedPerSec), n(p.throughput.ackedPerSec), n(p.throughput.deliveredPerSec), n(p.counts.failed), n(p.counts.indeterminate), formatMs(p.latency.e2e.p50), formatMs(p.latency.e2e.p99), formatMs(p.latency.publish.p99), p.lag?.max == null ? '-' : n(p.lag.max), p.lag?.final == null ? '-' : n(p.lag.final), rec ? (rec.recoveryMs === null ? 'not within the run' : formatMs(rec.recoveryMs)) : ''];
      }),
    ),
  );
  const delivery = !checked
    ? h('section', null, h('h2', null, 'Delivery'), h('p', null, 'Not checked: a publish-only run (workload.subscriptions 0) consumes nothing, so nothing can be called lost, duplicated or reordered.'))
    : h(
        'section',
        null,
        h('h2', null, 'Delivery'),
        table(
          ['subscription', 'delivered', 'lost', 'duplicated', 'extra deliveries', 'reordered', 'recovered', 'unexpected', 'effects', 'idempotency violations'],
          r.subscriptions.map((s) => [String(s.subscription), n(s.delivered), n(s.lost), n(s.duplicated), n(s.duplicateDeliveries), n(s.reordered), n(s.recovered), n(s.unexpected), n(s.effects), n(s.idempotencyViolations)]),
        ),
        h('p', null, `Lost events by when they were sent: before the first delivery ${n(r.lostSplit.beforeFirstDelivery)}, between deliveries ${n(r.lostSplit.betweenDeliveries)}, after the last delivery ${n(r.lostSplit.afterLastDelivery)} (the last may only be a slow reader).${r.foreign ? ` ${n(r.foreign)} deliveries of other runs' events were ignored.` : ''}`),
        sampleTable('lost', r.samples.lost, k.lost),
        sampleTable('duplicated', r.samples.duplicated, k.duplicated),
        sampleTable('reordered', r.samples.reordered, k.reordered),
        sampleTable('idempotency violations', r.samples.idempotencyViolations, k.idempotencyViolations),
        h('details', { open: k.unexpected > 0 }, h('summary', null, `unexpected: ${n(k.unexpected)}`), r.samples.unexpected.length ? h('ul', null, r.samples.unexpected.map((u) => h('li', null, h('code', null, u)))) : h('p', { class: 'muted' }, 'none')),
      );
  const faults = h(
    'section',
    null,
    h('h2', null, 'Faults'),
    r.faults.length
      ? table(
          ['fault', 'kind', 'on', 'planned', 'applied', 'healed', 'nodes or members hit', 'leader before → after', 'error'],
          r.faults.map((f) => [f.id, f.label, h('code', null, f.target), `${formatMs(f.plannedStartMs)} → ${formatMs(f.plannedEndMs)}`, f.applied ? formatMs(f.startMs) : 'no', f.healed ? (f.endMs >= 0 ? formatMs(f.endMs) : 'yes') : h('span', { class: 'fail' }, 'NOT HEALED'), (f.nodes ?? f.members)?.join(', ') ?? '', f.leaderBefore || f.leaderAfter ? `${f.leaderBefore ?? '?'} → ${f.leaderAfter ?? '?'}` : '', f.error ?? '']),
        )
      : h('p', { class: 'muted' }, 'no faults in this run'),
  );
  const clientEvents = r.clientEvents?.length
    ? h(
        'section',
        null,
        h('h2', null, 'Client events'),
        h('p', { class: 'muted' }, 'What the clients reported about themselves: consumer group rebalances, crashes (with the error), reconnects. Times from the start of the load; negative: during setup.'),
        table(['at', 'event', 'member', 'reason'], r.clientEvents.map((e) => [secs(e.atMs), e.kind === 'crash' ? h('span', { class: 'fail' }, 'crash') : e.kind, e.member ?? '', e.reason])),
      )
    : null;
  const env = h(
    'section',
    null,
    h('h2', null, 'Environment and scenario'),
    table(['', ''], [
      ['faultline', r.faultline],
      ['node / os / cpus', `${r.environment.node} · ${r.environment.os} · ${r.environment.cpus}`],
      ['client', r.environment.client ? `${r.environment.client.name} ${r.environment.client.version}` : '-'],
      ['broker', r.environment.broker?.version ?? '-'],
      ['adapter counted', Object.entries(r.adapterStats).map(([a, b]) => `${a} ${b}`).join(', ') || '-'],
      ['ledger', `${n(r.ledger.bytes)} bytes (${r.ledger.bytesPerEvent} per event)`],
    ]),
    h('details', null, h('summary', null, 'scenario as run (after defaults, secrets masked)'), h('pre', null, JSON.stringify(maskSecrets(r.scenario), null, 2))),
  );
  return h('main', null, banner, cards, nodeTimeline(r), charts, phases, delivery, faults, clientEvents, env);
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
        h('thead', null, h('tr', null, h('th', null, ''), runs.map((r) => h('th', null, r.href ? h('a', { href: r.href }, labelOf(runs, r.result)) : labelOf(runs, r.result))))),
        h(
          'tbody',
          null,
          h('tr', null, h('td', null, 'verdict'), runs.map((r) => h('td', { class: r.result.status === 'passed' ? 'pass' : 'fail' }, `${r.result.status} (${r.result.gates.filter((g) => g.passed).length}/${r.result.gates.length} gates)`))),
          rows.map(([label, get, better]) => {
            const vals = runs.map((r) => get(r.result));
            const finite = vals.filter(Number.isFinite);
            const best = finite.length ? (better === 'low' ? Math.min(...finite) : Math.max(...finite)) : NaN;
            // Later columns also show their change against the first (a baseline run, or the first target).
            const delta = (v: number, i: number) => (i > 0 && Number.isFinite(v) && Number.isFinite(vals[0]) && vals[0] !== 0 ? ` (${v >= vals[0] ? '+' : ''}${Math.round(((v - vals[0]) / Math.abs(vals[0])) * 100)}%)` : '');
            return h('tr', null, h('td', null, label), vals.map((v, i) => h('td', { class: v === best && finite.length > 1 ? 'best' : '' }, Number.isFinite(v) ? `${n(Math.round(v * 1000) / 1000)}${delta(v, i)}` : '-')));
          }),
        ),
      ),
      h('p', { class: 'muted' }, 'Bold: the best value of the row. In brackets: the change against the first column.'),
    ),
    h('section', null, h('h2', null, 'Over time'), h('div', { id: 'chart-throughput', class: 'chart' }), h('div', { class: 'toolbar' }, h('button', { id: 'toggle-log', type: 'button' }, 'linear scale')), h('div', { id: 'chart-latency', class: 'chart' }), h('h2', null, 'Latency distribution'), h('div', { id: 'chart-percentiles', class: 'chart' })),
  );
  return shell(`faultline · comparison`, body, chartData(runs));
}
