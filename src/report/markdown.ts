// summary.md: a compact Markdown summary for $GITHUB_STEP_SUMMARY and PR comments.
import { duplicatesDetail, gateWord } from './words.js';
import type { RunResult } from '../result.js';
import { formatMs } from '../units.js';

const n = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US') : 'unknown');
/** Markdown table cells: no pipes or newlines from user strings. */
const cell = (s: string) =>
  s
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/</g, '&lt;');

export function renderMarkdown(r: RunResult): string {
  const k = r.counts;
  const icon = r.status === 'passed' ? '✅' : r.status === 'failed' ? '❌' : '⚠️';
  const lines = [`### ${icon} faultline: ${cell(r.runId)} — ${r.status.toUpperCase()}`, '', `Target **${cell(r.target.name)}** (${cell(r.target.adapter)}), seed ${r.seed}, ${(r.durationMs / 1000).toFixed(1)} s.`, ''];
  if (r.gates.length) {
    lines.push('| gate | phase | value | result |', '| --- | --- | --- | --- |');
    for (const g of r.gates) lines.push(`| \`${cell(g.expr)}\` | ${cell(g.phase ?? 'run')} | ${g.value === null ? cell(g.error ?? 'no value') : n(Math.round(g.value * 1000) / 1000)} | ${{ pass: '✅ pass', fail: '❌ fail', unknown: '❔ unknown' }[gateWord(g)]} |`);
    lines.push('');
  }
  if (r.shows?.length) lines.push(`What the scenario says this run shows: ${r.shows.map((g) => `\`${cell(g.expr)}\`${g.phase ? ` [${cell(g.phase)}]` : ''} ${g.passed ? 'held' : 'did not hold'}`).join('; ')}.`, '');
  const checked = r.delivery !== 'not-checked';
  if (checked) {
    lines.push(
      '| attempted | acked | failed | indeterminate | delivered | lost | duplicated | reordered | recovered | unexpected | idempotency violations |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      `| ${[k.attempted, k.acked, k.failed, k.indeterminate, k.delivered, k.lost, k.duplicated, k.reordered, k.recovered, k.unexpected, k.idempotencyViolations].map(n).join(' | ')} |`,
    );
  } else {
    lines.push('| attempted | acked | failed | indeterminate |', '| --- | --- | --- | --- |', `| ${[k.attempted, k.acked, k.failed, k.indeterminate].map(n).join(' | ')} |`, '', 'Delivery not checked: a publish-only run (`workload.subscriptions: 0`).');
  }
  if (checked && k.duplicateWrites) lines.push('', `Duplicated: ${duplicatesDetail(k)}.`);
  if (checked && k.unseen) lines.push('', `Unseen: ${n(k.unseen)} acknowledged events are in the broker's log (final read) but were never delivered to faultline's consumers (not a loss).`);
  if (checked && r.finalRead && !r.finalRead.complete) lines.push('', `Loss not proven by a final read: ${r.finalRead.why ?? 'the final read did not reach the end of the log'}.`);
  if (checked && k.pending) lines.push('', `Pending at the end: ${n(k.pending)} acknowledged events not yet delivered when the run stopped (not judged lost).`);
  if (checked && (k.poisoned || k.deadLettered)) lines.push('', `Dead-lettered: ${n(k.deadLettered)} of ${n(k.poisoned)} poison events.`);
  lines.push('', '| latency | p50 | p90 | p99 | p99.9 | max |', '| --- | --- | --- | --- | --- | --- |');
  for (const [name, l] of Object.entries(r.latency)) if (checked || name !== 'e2e') lines.push(`| ${name} | ${[l.p50, l.p90, l.p99, l.p999, l.max].map(formatMs).join(' | ')} |`);
  lines.push('', `Throughput: ${n(r.throughput.attemptedPerSec)}/s attempted, ${n(r.throughput.ackedPerSec)}/s acked${checked ? `, ${n(r.throughput.deliveredPerSec)}/s delivered` : ''}.`);
  if (checked && r.lag) lines.push('', r.lag.max === null ? `Consumer lag: no data (${cell(r.lag.why ?? 'no samples')}).` : `Consumer lag as the broker reported it: max ${n(r.lag.max)}, final ${n(r.lag.final ?? 0)}.`);
  if (r.faults.length) {
    lines.push('', '| fault | kind | on | applied → healed | recovery |', '| --- | --- | --- | --- | --- |');
    for (const f of r.faults) {
      const rec = r.recovery.find((x) => x.fault === f.id)?.recoveryMs;
      const nodes = (f.nodes ?? f.members) ? ` (${(f.nodes ?? f.members)!.join(', ')}${f.leaderBefore || f.leaderAfter ? `; leader ${f.leaderBefore ?? '?'} → ${f.leaderAfter ?? '?'}` : ''})` : '';
      lines.push(
        `| ${f.id} | ${cell(f.label)} | ${cell(f.target + nodes)} | ${f.applied ? `${formatMs(f.startMs)} → ${f.endMs >= 0 ? formatMs(f.endMs) : 'never'}` : 'not applied'}${f.error ? ` (${cell(f.error)})` : ''} | ${rec === undefined ? 'not measured (publish only)' : rec === null ? 'not within the run' : formatMs(rec)} |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}
