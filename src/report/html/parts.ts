// The pieces every report page is built of: numbers and times as shown, tables, cards, the gates table
// and the sample lists.
import { gateWord, MARK } from '../words.js';
import { h, type ComponentChildren } from 'preact';
import type { RunResult } from '../../result.js';
import type { VNode } from './nodes.js';

export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const n = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US') : 'unknown');
export const table = (head: string[], rows: ComponentChildren[][], cls = '') =>
  h(
    'table',
    { class: cls },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        head.map((c) => h('th', null, c)),
      ),
    ),
    h(
      'tbody',
      null,
      rows.map((r) =>
        h(
          'tr',
          null,
          r.map((c) => h('td', null, c)),
        ),
      ),
    ),
  );

export function card(label: string, value: string, bad = false, note?: string): VNode {
  return h('div', { class: `card${bad ? ' bad' : ''}` }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), note ? h('div', { class: 'note' }, note) : null);
}

/** The gates, or (with `heading`) what the scenario says the run shows. */
export function gatesTable(r: RunResult, list = r.gates, heading = 'gate'): VNode {
  return table(
    ['', heading, 'phase', 'value'],
    list.map((g) => [h('span', { class: g.passed ? 'pass' : 'fail' }, MARK[gateWord(g)]), h('code', null, g.expr), g.phase ?? 'run', g.value === null ? (g.error ?? 'no value') : n(Math.round(g.value * 1000) / 1000)]),
    'gates',
  );
}

export function sampleTable(title: string, samples: { id: string; key: number; subscription: number; at?: [number, number][]; sentMs?: number; member?: string; readMs?: number }[], total: number): VNode {
  const located = samples.some((s) => s.at);
  const timed = samples.some((s) => s.sentMs !== undefined);
  const read = samples.some((s) => s.member);
  const secs = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(3)} s`);
  return h(
    'details',
    { open: total > 0 },
    h('summary', null, `${title}: ${n(total)}${total > samples.length ? ` (first ${samples.length})` : ''}`),
    samples.length
      ? table(
          ['event id', 'key', 'subscription', ...(timed ? ['sent at'] : []), ...(read ? ['member (read at)'] : []), ...(located ? ['in the log (partition @ position)'] : [])],
          samples.map((s) => [
            h('code', null, s.id),
            s.key >= 0 ? `k${s.key}` : '-',
            String(s.subscription),
            ...(timed ? [secs(s.sentMs)] : []),
            ...(read ? [s.member ? `${s.member}${s.readMs === undefined ? '' : ` (${secs(s.readMs)})`}` : '-'] : []),
            ...(located ? [(s.at ?? []).map(([p, o]) => `${p} @ ${o}`).join(', ') || 'absent'] : []),
          ]),
        )
      : h('p', { class: 'muted' }, 'none'),
  );
}
