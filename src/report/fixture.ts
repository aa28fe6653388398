// A deterministic RunResult for reporter tests (snapshots, browser tests, size checks).
import { encodeHistogram, initHistograms, newHistogram, recordMs } from '../observe/histograms.js';
import type { Interval } from '../observe/intervals.js';
import { SCHEMA_VERSION, type RunResult } from '../result.js';

const lat = (p50: number) => ({ count: 1000, min: p50 / 4, mean: p50 * 1.2, p50, p90: p50 * 2, p99: p50 * 5, p999: p50 * 9, max: p50 * 12 });

export async function fixtureResult(opts: { seconds?: number; text?: string } = {}): Promise<RunResult> {
  await initHistograms();
  const seconds = opts.seconds ?? 30;
  const text = opts.text ?? '';
  const intervals: Interval[] = [];
  for (let t = 1; t <= seconds; t++) {
    const inFault = t > 10 && t <= 15;
    const p = inFault ? 120 + (t % 3) : 1 + (t % 5) / 10;
    intervals.push({ t, attempted: 1000, acked: inFault ? 400 : 1000, failed: 0, indeterminate: inFault ? 600 : 0, delivered: inFault ? 400 : 1000, publish: { p50: p / 2, p99: p, max: p * 2 }, e2e: { p50: p, p90: p * 2, p99: p * 4, p999: p * 6, max: p * 8 } });
  }
  const hists = { publish: newHistogram(), scheduleLag: newHistogram(), e2e: newHistogram() };
  for (let i = 0; i < 10_000; i++) {
    recordMs(hists.e2e, 0.5 + (i % 100) / 20 + (i % 997 === 0 ? 300 : 0));
    recordMs(hists.publish, 0.2 + (i % 50) / 50);
    recordMs(hists.scheduleLag, (i % 10) / 10);
  }
  const histograms = { publish: encodeHistogram(hists.publish), scheduleLag: encodeHistogram(hists.scheduleLag), e2e: encodeHistogram(hists.e2e) };
  Object.values(hists).forEach((h) => h.destroy());
  const phase = (name: string, startMs: number, endMs: number, p50: number) => ({ name, startMs, endMs, counts: { attempted: 5000, acked: 5000, failed: 0, indeterminate: 0, delivered: 5000 }, latency: { publish: lat(p50 / 2), scheduleLag: lat(0.5), e2e: lat(p50) }, throughput: { attemptedPerSec: 1000, ackedPerSec: 1000, deliveredPerSec: 1000 } });
  return {
    schemaVersion: SCHEMA_VERSION,
    faultline: '0.1.0',
    runId: `fixture${text ? '-x' : ''}-20260101-000000`,
    seed: 42,
    scenario: { name: `fixture${text}`, description: `a fixture ${text}`, targets: { kafka: { adapter: 'kafka', brokers: ['127.0.0.1:19092'], url: 'amqp://user:hunter2@host:5672' } }, password: 'hunter2' },
    target: { name: `kafka${text}`, adapter: 'kafka' },
    status: 'failed',
    ...(text ? { error: `broker said ${text}` } : {}),
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: `2026-01-01T00:00:${String(Math.min(seconds, 59)).padStart(2, '0')}.000Z`,
    durationMs: seconds * 1000,
    counts: { attempted: seconds * 1000, acked: seconds * 1000 - 3000, failed: 0, indeterminate: 3000, delivered: seconds * 1000 - 2990, lost: 3, duplicated: 2, duplicateDeliveries: 2, recovered: 10, unexpected: 1, deadLettered: 0, poisoned: 0, pending: 0, reordered: 1, effects: seconds * 1000 - 2988, idempotencyViolations: 2 },
    lostSplit: { beforeFirstDelivery: 0, betweenDeliveries: 3, afterLastDelivery: 0 },
    subscriptions: [{ subscription: 0, delivered: seconds * 1000 - 2990, lost: 3, duplicated: 2, duplicateDeliveries: 2, recovered: 10, unexpected: 1, deadLettered: 0, poisoned: 0, pending: 0, reordered: 1, effects: seconds * 1000 - 2988, idempotencyViolations: 2 }],
    foreign: 0,
    unknown: [],
    latency: { publish: lat(1), scheduleLag: lat(0.5), e2e: lat(2) },
    throughput: { attemptedPerSec: 1000, ackedPerSec: 900, deliveredPerSec: 900.3 },
    phases: [phase('baseline', 0, 10_000, 1.2), phase('fault-1', 10_000, 15_000, 120), phase('recovery-1', 15_000, seconds * 1000, 1.3)],
    faults: [{ id: 'fault-1', label: `down${text}`, kind: 'down', target: `kafka${text}`, plannedStartMs: 10_000, plannedEndMs: 15_000, startMs: 10_003, endMs: 15_004, applied: true, healed: true }],
    recovery: [{ fault: 'fault-1', recoveryMs: 2000 }],
    clientEvents: [
      { atMs: -400, kind: 'rebalance' as const, member: 's0/m0', reason: 'joined the group as its leader: 6 partition(s) assigned, after 40 ms' },
      { atMs: 9200, kind: 'crash' as const, member: 's0/m0', reason: `KafkaJSNumberOfRetriesExceeded: Connection error${text}; kafkajs restarts the consumer` },
    ],
    gates: [
      { expr: 'lost == 0', value: 3, threshold: 0, passed: false },
      { expr: `e2e.p99 < 250ms`, phase: 'baseline', value: 6, threshold: 250, passed: true },
      { expr: 'recovery.max < 5s', value: 2000, threshold: 5000, passed: true },
    ],
    histograms,
    intervals,
    samples: { lost: [0, 1, 2].map((i) => ({ id: `0:${100 + i}`, producer: 0, seq: 100 + i, key: -1, subscription: 0 })), duplicated: [], reordered: [{ id: '0:7', producer: 0, seq: 7, key: 3, subscription: 0 }], unexpected: [`0:99999: never sent${text}`], idempotencyViolations: [] },
    adapterStats: { sendErrors: 3 },
    ledger: { bytes: 123_456, bytesPerEvent: 4.1 },
    environment: { node: 'v20.0.0', os: 'Linux test x64', cpus: 2, client: { name: 'kafkajs', version: '2.2.4' } },
  };
}
