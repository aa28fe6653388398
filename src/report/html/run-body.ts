// The page of one run, section by section: the verdict and gates, the figures, the charts, phases,
// delivery, faults, client events, and the environment.
import { h } from 'preact';
import { maskSecrets } from '../../mask.js';
import type { RunResult } from '../../result.js';
import { formatMs } from '../../units.js';
import { nodeTimeline, type VNode } from './nodes.js';
import { duplicatesDetail } from '../words.js';
import { card, gatesTable, n, sampleTable, secs, table } from './parts.js';

export function runBody(r: RunResult): VNode {
  return h('main', null, bannerSection(r), cardsSection(r), nodeTimeline(r), chartsSection(r), phasesSection(r), deliverySection(r), faultsSection(r), clientEventsSection(r), environmentSection(r));
}

function bannerSection(r: RunResult): VNode | null {
  return h(
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
    r.shows?.length ? gatesTable(r, r.shows, 'what the scenario says this run shows (not a gate)') : null,
  );
}

function cardsSection(r: RunResult): VNode | null {
  const k = r.counts;
  const checked = r.delivery !== 'not-checked';
  return h(
    'section',
    { class: 'cards' },
    card('attempted', n(k.attempted), false, `${n(r.throughput.attemptedPerSec)}/s`),
    card('acked', n(k.acked), false, `${n(r.throughput.ackedPerSec)}/s`),
    ...(checked
      ? [
          card('delivered', n(k.delivered), false, `${n(r.throughput.deliveredPerSec)}/s`),
          card('lost', n(k.lost), k.lost > 0),
          card('duplicated', n(k.duplicated), k.duplicated > 0, duplicatesDetail(k) || '0 extra deliveries'),
          card('reordered', n(k.reordered), k.reordered > 0),
          card('recovered', n(k.recovered), false, `of ${n(k.indeterminate)} indeterminate`),
          card('unexpected', n(k.unexpected), k.unexpected > 0),
          ...(k.poisoned || k.deadLettered ? [card('dead-lettered', n(k.deadLettered), false, `of ${n(k.poisoned)} poison events`)] : []),
          card('idempotency violations', n(k.idempotencyViolations), k.idempotencyViolations > 0),
        ]
      : [card('delivery', 'not checked', false, 'publish only (workload.subscriptions 0)')]),
    card('publish p99', formatMs(r.latency.publish.p99)),
    checked ? card('e2e p99', formatMs(r.latency.e2e.p99), false, `p50 ${formatMs(r.latency.e2e.p50)}`) : null,
    card('failed / indeterminate', `${n(k.failed)} / ${n(k.indeterminate)}`, k.failed + k.indeterminate > 0),
  );
}

function chartsSection(r: RunResult): VNode | null {
  const checked = r.delivery !== 'not-checked';
  return h(
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
}

function phasesSection(r: RunResult): VNode | null {
  return h(
    'section',
    null,
    h('h2', null, 'Phases'),
    table(
      ['phase', 'from', 'to', 'attempted/s', 'acked/s', 'delivered/s', 'failed', 'indeterminate', 'e2e p50', 'e2e p99', 'publish p99', 'lag max', 'lag final', 'recovery'],
      r.phases.map((p) => {
        const rec = p.name.startsWith('fault-') ? r.recovery.find((x) => x.fault === p.name) : undefined;
        return [
          p.name,
          secs(p.startMs),
          secs(p.endMs),
          n(p.throughput.attemptedPerSec),
          n(p.throughput.ackedPerSec),
          n(p.throughput.deliveredPerSec),
          n(p.counts.failed),
          n(p.counts.indeterminate),
          formatMs(p.latency.e2e.p50),
          formatMs(p.latency.e2e.p99),
          formatMs(p.latency.publish.p99),
          p.lag?.max == null ? '-' : n(p.lag.max),
          p.lag?.final == null ? '-' : n(p.lag.final),
          rec ? (rec.recoveryMs === null ? 'not within the run' : formatMs(rec.recoveryMs)) : '',
        ];
      }),
    ),
  );
}

function deliverySection(r: RunResult): VNode | null {
  const k = r.counts;
  const checked = r.delivery !== 'not-checked';
  return !checked
    ? h('section', null, h('h2', null, 'Delivery'), h('p', null, 'Not checked: a publish-only run (workload.subscriptions 0) consumes nothing, so nothing can be called lost, duplicated or reordered.'))
    : h(
        'section',
        null,
        h('h2', null, 'Delivery'),
        table(
          ['subscription', 'delivered', 'lost', 'duplicated', 'extra deliveries', 'reordered', 'recovered', 'unexpected', 'effects', 'idempotency violations'],
          r.subscriptions.map((s) => [String(s.subscription), n(s.delivered), n(s.lost), n(s.duplicated), n(s.duplicateDeliveries), n(s.reordered), n(s.recovered), n(s.unexpected), n(s.effects), n(s.idempotencyViolations)]),
        ),
        h(
          'p',
          null,
          `Lost events by when they were sent: before the first delivery ${n(r.lostSplit.beforeFirstDelivery)}, between deliveries ${n(r.lostSplit.betweenDeliveries)}, after the last delivery ${n(r.lostSplit.afterLastDelivery)} (the last may only be a slow reader).${r.foreign ? ` ${n(r.foreign)} deliveries of other runs' events were ignored.` : ''}`,
        ),
        sampleTable('lost', r.samples.lost, k.lost),
        sampleTable('duplicated', r.samples.duplicated, k.duplicated),
        ...(k.duplicateWrites ? [sampleTable('written twice', r.samples.duplicateWrites, k.duplicateWrites)] : []),
        ...(k.unseen ? [sampleTable('unseen', r.samples.unseen, k.unseen)] : []),
        ...(k.redelivered ? [sampleTable('redelivered (the same position read again)', r.samples.redelivered, k.redelivered)] : []),
        ...(k.nonmonotonic ? [sampleTable('nonmonotonic reads (from, to)', r.samples.nonmonotonic, k.nonmonotonic)] : []),
        ...(k.readGaps ? [sampleTable('read gaps (read before, gone past, read after)', r.samples.readGaps, k.readGaps)] : []),
        sampleTable('reordered', r.samples.reordered, k.reordered),
        sampleTable('idempotency violations', r.samples.idempotencyViolations, k.idempotencyViolations),
        h(
          'details',
          { open: k.unexpected > 0 },
          h('summary', null, `unexpected: ${n(k.unexpected)}`),
          r.samples.unexpected.length
            ? h(
                'ul',
                null,
                r.samples.unexpected.map((u) => h('li', null, h('code', null, u))),
              )
            : h('p', { class: 'muted' }, 'none'),
        ),
      );
}

function faultsSection(r: RunResult): VNode | null {
  return h(
    'section',
    null,
    h('h2', null, 'Faults'),
    r.faults.length
      ? table(
          ['fault', 'kind', 'on', 'planned', 'applied', 'healed', 'nodes or members hit', 'leader before → after', 'error'],
          r.faults.map((f) => [
            f.id,
            f.label,
            h('code', null, f.target),
            `${formatMs(f.plannedStartMs)} → ${formatMs(f.plannedEndMs)}`,
            f.applied ? formatMs(f.startMs) : 'no',
            f.healed ? (f.endMs >= 0 ? formatMs(f.endMs) : 'yes') : h('span', { class: 'fail' }, 'NOT HEALED'),
            (f.nodes ?? f.members)?.join(', ') ?? '',
            f.leaderBefore || f.leaderAfter ? `${f.leaderBefore ?? '?'} → ${f.leaderAfter ?? '?'}` : '',
            f.error ?? '',
          ]),
        )
      : h('p', { class: 'muted' }, 'no faults in this run'),
  );
}

function clientEventsSection(r: RunResult): VNode | null {
  return r.clientEvents?.length
    ? h(
        'section',
        null,
        h('h2', null, 'Client events'),
        h('p', { class: 'muted' }, 'What the clients reported about themselves: consumer group rebalances, crashes (with the error), reconnects. Times from the start of the load; negative: during setup.'),
        table(
          ['at', 'event', 'member', 'reason'],
          r.clientEvents.map((e) => [secs(e.atMs), e.kind === 'crash' ? h('span', { class: 'fail' }, 'crash') : e.kind, e.member ?? '', e.reason]),
        ),
      )
    : null;
}

function environmentSection(r: RunResult): VNode | null {
  return h(
    'section',
    null,
    h('h2', null, 'Environment and scenario'),
    table(
      ['', ''],
      [
        ['faultline', r.faultline],
        ['node / os / cpus', `${r.environment.node} · ${r.environment.os} · ${r.environment.cpus}`],
        ['client', r.environment.client ? `${r.environment.client.name} ${r.environment.client.version}` : '-'],
        ['broker', r.environment.broker?.version ?? '-'],
        [
          'adapter counted',
          Object.entries(r.adapterStats)
            .map(([a, b]) => `${a} ${b}`)
            .join(', ') || '-',
        ],
        ['ledger', `${n(r.ledger.bytes)} bytes (${r.ledger.bytesPerEvent} per event)`],
      ],
    ),
    h('details', null, h('summary', null, 'scenario as run (after defaults, secrets masked)'), h('pre', null, JSON.stringify(maskSecrets(r.scenario), null, 2))),
  );
}
