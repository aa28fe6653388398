// The end-of-run summary for a terminal (after k6's): a pure function of the result.
import { duplicatesDetail, gateWord, MARK } from './words.js';
import type { RunResult } from '../result.js';
import { inert } from '../mask.js';
import { formatMs } from '../units.js';

const color = (on: boolean) => ({
  green: (s: string) => (on ? `\x1b[32m${s}\x1b[39m` : s),
  red: (s: string) => (on ? `\x1b[31m${s}\x1b[39m` : s),
  dim: (s: string) => (on ? `\x1b[2m${s}\x1b[22m` : s),
  bold: (s: string) => (on ? `\x1b[1m${s}\x1b[22m` : s),
});

const n = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US') : 'unknown');

export function renderSummary(r: RunResult, opts: { color?: boolean; dir?: string | null } = {}): string {
  const c = color(opts.color ?? false);
  const lines: string[] = [];
  const k = r.counts;
  const row = (label: string, value: string, note = '') => lines.push(`  ${label.padEnd(22, '.')} ${value}${note ? `  ${c.dim(note)}` : ''}`);
  lines.push('', c.bold(inert(`  ${r.runId}  target ${r.target.name} (${r.target.adapter})  seed ${r.seed}`)), '');
  row('attempted', n(k.attempted), `${n(r.throughput.attemptedPerSec)}/s`);
  row('acked', n(k.acked), `${n(r.throughput.ackedPerSec)}/s`);
  row('failed / indeterminate', `${n(k.failed)} / ${n(k.indeterminate)}`);
  if (r.delivery === 'not-checked') row('delivery', 'not checked', 'publish only (workload.subscriptions 0): nothing was consumed');
  else {
    row('delivered', n(k.delivered), `${n(r.throughput.deliveredPerSec)}/s`);
    const bad = (v: number) => (v > 0 ? c.red(n(v)) : n(v));
    row('lost', bad(k.lost), k.lost ? `before first ${r.lostSplit.beforeFirstDelivery}, between ${r.lostSplit.betweenDeliveries}, after last ${r.lostSplit.afterLastDelivery}` : '');
    if (k.unseen) row('unseen', c.red(n(k.unseen)), `in the broker (final read), never delivered to faultline: not a loss${k.skipped ? `; ${n(k.skipped)} skipped (the group committed past them), ${n(k.unseen - k.skipped)} never fetched` : ''}`);
    if (k.pending) row('pending at the end', n(k.pending), 'acknowledged, not yet delivered when the run stopped: not judged');
    row('duplicated', bad(k.duplicated), duplicatesDetail(k));
    row('reordered', bad(k.reordered));
    if (k.nonmonotonic) row('nonmonotonic reads', c.red(n(k.nonmonotonic)), 'a member read a partition backwards within a session');
    if (k.readGaps) row('read gaps', c.red(n(k.readGaps)), 'events in the log a member went past between its reads of a partition');
    row('recovered', n(k.recovered));
    row('unexpected', bad(k.unexpected));
    if (k.poisoned || k.deadLettered) row('dead-lettered', n(k.deadLettered), `of ${n(k.poisoned)} poison events`);
    row('idempotency violations', bad(k.idempotencyViolations));
  }
  lines.push('');
  for (const [name, l] of Object.entries(r.latency)) {
    if (name === 'e2e' && r.delivery === 'not-checked') continue;
    if (l.count === 0) {
      row(name, 'no data', '0 samples');
      continue;
    }
    row(name, `p50 ${formatMs(l.p50)}  p90 ${formatMs(l.p90)}  p99 ${formatMs(l.p99)}  p99.9 ${formatMs(l.p999)}  max ${formatMs(l.max)}`, `${n(l.count)} samples`);
  }
  if (r.lag && r.delivery !== 'not-checked') {
    if (r.lag.max === null) row('consumer lag', 'no data', inert(r.lag.why ?? ''));
    else row('consumer lag', `max ${n(r.lag.max)}  final ${n(r.lag.final ?? 0)}`, `${r.lag.samples.length} samples from the broker`);
  }
  if (r.faults.length) {
    lines.push('', '  faults');
    for (const f of r.faults) {
      const rec = r.recovery.find((x) => x.fault === f.id);
      const when = f.applied ? `${(f.startMs / 1000).toFixed(1)}s → ${f.endMs >= 0 ? (f.endMs / 1000).toFixed(1) + 's' : 'never healed'}` : 'not applied';
      const state = f.error ? c.red(inert(f.error)) : f.healed ? 'healed' : c.red('NOT HEALED');
      const nodes = (f.nodes ?? f.members) ? ` (${(f.nodes ?? f.members)!.join(', ')}${f.leaderBefore || f.leaderAfter ? `; leader ${f.leaderBefore ?? '?'} → ${f.leaderAfter ?? '?'}` : ''})` : '';
      lines.push(`    ${f.id} ${inert(f.label)} on ${inert(f.target)}${inert(nodes)}  ${when}  ${state}  ${c.dim(`recovery ${rec === undefined ? 'not measured (publish only)' : rec.recoveryMs === null ? 'not within the run' : formatMs(rec.recoveryMs)}`)}`);
    }
  }
  const events = r.clientEvents ?? [];
  if (events.length) {
    const by = (k: string) => events.filter((e) => e.kind === k).length;
    lines.push('', `  client events  rebalances ${by('rebalance')}, crashes ${by('crash')}, reconnects ${by('reconnect')}`);
    // a crash or reconnect says what went wrong: each is listed (the first ten), rebalances only counted
    for (const e of events.filter((x) => x.kind !== 'rebalance').slice(0, 10)) lines.push(`    ${(e.atMs / 1000).toFixed(1)}s ${e.kind} ${inert(e.member ?? '')}  ${c.dim(inert(e.reason))}`);
  }
  const judged = Object.entries(r.verdicts ?? {}).filter(([, v]) => v.valid !== true);
  if (judged.length) {
    lines.push('', '  verdicts');
    for (const [name, v] of judged) lines.push(`    ${v.valid === false ? c.red('✗') : c.red('?')} ${name}  ${c.dim(inert(v.valid === false ? (v.why ?? 'invalid') : `unknown: ${v.why ?? 'no data'}`))}`);
  }
  for (const [title, list] of [
    ['gates', r.gates],
    ['shows (what the scenario says this run shows; not a gate)', r.shows ?? []],
  ] as const) {
    if (!list.length) continue;
    lines.push('', `  ${title}`);
    for (const g of list) {
      const word = gateWord(g);
      const mark = word === 'pass' ? c.green(MARK.pass) : c.red(MARK[word]);
      const scope = g.phase ? ` [${g.phase}]` : '';
      const value = g.value === null ? inert(g.error ?? 'no value') : String(Math.round(g.value * 1000) / 1000);
      lines.push(`    ${mark} ${inert(g.expr + scope)}  ${c.dim(`(${value})`)}`);
    }
  }
  const verdict = r.status === 'passed' ? c.green('PASSED') : r.status === 'failed' ? c.red('FAILED') : c.red(r.status.toUpperCase());
  lines.push('', `  ${verdict}${inert(`${r.error ? `: ${r.error}` : ''}${opts.dir ? `  results in ${opts.dir}` : ''}`)}`, '');
  return lines.join('\n');
}
