// explore.html: what an exploration tried and found, from explore.json alone: each finding with its
// shrink path, its minimal schedule drawn on a timeline and its reproduction rate; every run tried,
// with its schedule, its outcome and a link to its own report.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { h } from 'preact';
import { render } from 'preact-render-to-string';
import { STYLE } from '../report/html/style.js';
import { table } from '../report/html/parts.js';
import type { VNode } from '../report/html/nodes.js';
import { describeFault, describeSchedule, type Schedule } from './schedule.js';
import type { ExploreState, Finding } from './state.js';
import type { TriedRun } from './runner.js';

const outcomeWords = (r: TriedRun) => (r.outcome.kind === 'failed' ? `failed: ${r.outcome.signature}` : r.outcome.kind === 'inconclusive' ? `inconclusive: ${r.outcome.why}` : 'passed');

/** The minimal schedule on the load's timeline: one bar per fault. */
function timeline(s: Schedule, durationMs: number): VNode {
  const width = 720;
  const row = 22;
  const x = (ms: number) => 10 + (ms / durationMs) * (width - 20);
  return h(
    'svg',
    { width, height: row * (s.faults.length + 1) + 10, role: 'img', 'aria-label': 'minimal schedule' },
    h('line', { x1: x(0), x2: x(durationMs), y1: 6, y2: 6, stroke: '#888' }),
    h('text', { x: x(durationMs) - 60, y: 18, 'font-size': 11 }, `${(durationMs / 1000).toFixed(1)} s`),
    s.faults.map((f, i) => [h('rect', { x: x(f.at), y: 12 + i * row + 8, width: Math.max(3, x(f.at + f.length) - x(f.at)), height: 12, fill: '#c0392b', opacity: 0.7 }), h('text', { x: Math.min(x(f.at) + 4, width - 200), y: 12 + i * row + 6, 'font-size': 11 }, describeFault(f))]),
  );
}

function findingSection(f: Finding, durationMs: number): VNode {
  const rate = f.confirmed ? `${f.confirmed.failed} of ${f.confirmed.runs}, 95 %: ${f.confirmed.interval[0].toFixed(2)}–${f.confirmed.interval[1].toFixed(2)}` : 'not measured';
  return h(
    'section',
    null,
    h('h2', null, f.signature),
    h(
      'p',
      null,
      f.background
        ? 'Background: a control run with no faults failed so too. Not shrunk.'
        : `${f.status}. First seen in run ${f.firstRun}; reproduced ${f.reproduced ? `${f.reproduced.failed} of ${f.reproduced.runs}` : '-'}; a step rejected after ${f.rejectAfter ?? '-'} passing runs; ${f.shrinkRuns ?? 0} shrink runs.`,
    ),
    f.minimal && h('p', null, h('strong', null, 'Minimal schedule: '), describeSchedule(f.minimal), ` (${f.minimalFile}). It failed again in ${rate}.`),
    f.minimal && timeline(f.minimal, durationMs),
    f.shrinkPath?.length
      ? table(
          ['step', 'schedule', 'runs', ''],
          f.shrinkPath.map((s) => [s.what, s.schedule, String(s.runs), s.backtrack ? 'backtrack' : s.accepted ? 'accepted' : 'rejected']),
        )
      : null,
  );
}

export async function writeExplorePage(dir: string, state: ExploreState, durationMs = Math.max(1000, ...state.runs.flatMap((r) => r.schedule.faults.map((f) => f.at + f.length)))): Promise<void> {
  const findings = state.findings.filter((f) => !f.background);
  const body = h(
    'main',
    null,
    h(
      'section',
      { class: `banner ${findings.length ? 'failed' : 'passed'}` },
      h('h1', null, `faultline explore: ${findings.length ? `${findings.length} failure${findings.length > 1 ? 's' : ''} found` : 'nothing failed'}`),
      h('p', null, `${state.runs.length} runs of ${path.basename(state.scenario)} (target ${state.target}, seed ${state.seed}) in ${(state.elapsedMs / 1000).toFixed(1)} s${state.done ? '' : '; stopped before the end (resume with --resume)'}`),
    ),
    state.findings.map((f) => findingSection(f, durationMs)),
    h(
      'section',
      null,
      h('h2', null, 'Every run'),
      table(
        ['run', 'purpose', 'schedule', 'hit (leader before → after)', 'outcome', 'lost', 'time', 'report'],
        state.runs.map((r) => [String(r.n), r.purpose, describeSchedule(r.schedule), (r.hit ?? []).join('; '), outcomeWords(r), Number.isFinite(r.lost) ? String(r.lost) : '-', `${(r.durationMs / 1000).toFixed(1)} s`, r.dir ? h('a', { href: `${r.dir}/report.html` }, 'report') : '-']),
      ),
    ),
  );
  writeFileSync(path.join(dir, 'explore.html'), `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>faultline explore · ${state.target}</title><style>${STYLE}</style></head><body>${render(body)}</body></html>\n`);
}
