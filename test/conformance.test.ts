// Needs: the local services of scripts/services.sh (each broker and Toxiproxy).
// One conformance suite, the same tests for every adapter on its real broker (memory included, where
// a test does not need a network): setup is idempotent, every acknowledged event is delivered with
// its envelope intact and in order where promised, a proxy outage gives failed or indeterminate
// outcomes and recovers without a hang, a latency toxic shows in publish latency, close releases
// everything, and an unreachable broker exits 3 naming its address.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../src/adapters/registry.js';
import { Toxiproxy } from '../src/nemesis/toxiproxy.js';
import type { RunResult } from '../src/result.js';
import { runScenario } from '../src/run/index.js';
import { parseScenario } from '../src/scenario/load.js';
import { ROOT, uniqueName } from './helpers/services.js';
import { RESOURCE } from './helpers/resources.js';
import { ENVELOPE_BYTES } from '../src/observe/envelope.js';

interface Case {
  adapter: string;
  /** The target's YAML (flow style), through the proxy where there is one. */
  target: string;
  proxy?: string;
  /** The proxied address a user would see in the error when the broker is unreachable. */
  address?: string;
  ordered: boolean;
  /** What the final read reads after the run: the broker's whole log, what is left in a queue, or nothing (a loss is then not proven). */
  readBack: 'log' | 'leftovers' | 'none';
  /**
   * How much later than the toxic's L a delivery may come under a downstream latency L: the consumer's
   * own poll/ack cycle, as docs/calibration.md explains per adapter.
   */
  cycle: (L: number) => number;
}

// Both below the 200 ms between sends at 5/s, and large enough that ±3 % (3.6 and 5.7 ms) is above
// the millisecond or two of scheduling noise a p50 of 15 samples carries.
const L1 = 120;
const L2 = 190;
/** Push consumers and pull consumers that keep a read waiting at the broker: a few ms of processing. */
const PUSH = () => 5;
/**
 * One fetch in flight (L), the broker's fetch wait (100 ms), and offset commit and heartbeat round
 * trips (L each) awaited between fetches when due: kafkajs read +554 and +689 ms for L = 190 in two runs.
 */
const KAFKA_FETCH = (L: number) => 3 * L + 150;

// Kafka runs with a retrying, non-idempotent producer (scenarios/kafka-idempotent-blackout.yaml runs the
// idempotent one through an outage).
const CASES: Case[] = [
  { adapter: 'memory', readBack: 'log', target: '{ adapter: memory, partitions: 4 }', ordered: true, cycle: PUSH },
  { adapter: 'rabbitmq', readBack: 'leftovers', target: '{ adapter: rabbitmq, url: "amqp://guest:guest@127.0.0.1:5673", proxy: rabbitmq, heartbeat: 2s, requestTimeout: 2s }', proxy: 'rabbitmq', address: '127.0.0.1:5673', ordered: false, cycle: PUSH },
  { adapter: 'nats', readBack: 'log', target: '{ adapter: nats, servers: [127.0.0.1:14222], proxy: nats, idempotent: true, requestTimeout: 2s }', proxy: 'nats', address: '127.0.0.1:14222', ordered: false, cycle: PUSH },
  { adapter: 'mqtt', readBack: 'none', target: '{ adapter: mqtt, url: "mqtt://127.0.0.1:11883", proxy: mosquitto, qos: 1, keepalive: 2s, requestTimeout: 2s }', proxy: 'mosquitto', address: 'mqtt://127.0.0.1:11883', ordered: false, cycle: PUSH },
  { adapter: 'redis', readBack: 'log', target: '{ adapter: redis, port: 16379, proxy: redis, requestTimeout: 1s, consumer: { claimIdle: 3s } }', proxy: 'redis', address: '127.0.0.1:16379', ordered: false, cycle: PUSH },
  {
    adapter: 'kafka',
    readBack: 'log',
    target: '{ adapter: kafka, brokers: [127.0.0.1:19092], proxy: kafka, topic: { partitions: 4 }, producer: { acks: all, retries: 1, requestTimeout: 2s }, consumer: { sessionTimeout: 6s } }',
    proxy: 'kafka',
    address: '127.0.0.1:19092',
    ordered: true,
    cycle: KAFKA_FETCH,
  },
  {
    adapter: 'kafka-platformatic',
    readBack: 'log',
    target: '{ adapter: kafka, client: platformatic, brokers: [127.0.0.1:19092], proxy: kafka, topic: { partitions: 4 }, producer: { acks: all, retries: 1, requestTimeout: 2s }, consumer: { sessionTimeout: 6s } }',
    proxy: 'kafka',
    address: '127.0.0.1:19092',
    ordered: true,
    cycle: KAFKA_FETCH,
  },
];

const tp = new Toxiproxy();

function scenario(c: Case, workload: string, extra = '') {
  const text = `name: ${uniqueName(`conf-${c.adapter}`)}\nseed: 3\ntargets:\n  t: ${c.target}\nworkload: ${workload}\ndrain: { quiet: 1s, deadline: 20s }\n${extra}`;
  return parseScenario(text, `${c.adapter}.yaml`).scenario;
}

async function run(c: Case, workload: string, during?: (startedAt: number) => Promise<void>): Promise<RunResult> {
  const s = scenario(c, workload, c.ordered ? 'expect: { ordering: per-key }' : '');
  let started = 0;
  const side = during
    ? new Promise<void>((resolve, reject) => {
        const wait = setInterval(() => {
          if (started) {
            clearInterval(wait);
            during(started).then(resolve, reject);
          }
        }, 20);
      })
    : Promise.resolve();
  const [outcome] = await Promise.all([runScenario(s, { write: false, onStart: () => (started = Date.now()) }), side]);
  return outcome.result;
}

function cli(args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string; ms: number; killed: boolean }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn('node', [`${ROOT}bin/faultline.js`, ...args], { cwd: ROOT, env: { ...process.env, CI: '1' } });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => ((killed = true), child.kill('SIGKILL')), timeoutMs);
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, stderr, ms: Date.now() - t0, killed })));
  });
}

afterAll(async () => {
  for (const c of CASES) if (c.proxy) await tp.setEnabled(c.proxy, true);
});

describe.each(CASES)('adapter conformance: $adapter', (c) => {
  it('setup is idempotent and teardown cleans up', async () => {
    const s = scenario(c, '{ rate: 10/s, duration: 1s }');
    const name = uniqueName(`fl-setup-${c.adapter}`);
    const adapter = await loadAdapter(s.targets.t, { runId: name, resourceName: name, subscriptions: 1, seed: 1 });
    // the name each broker knows the resource by (RabbitMQ's queue of subscription 0, NATS' stream)
    const resource = c.adapter === 'nats' ? name.replace(/[^A-Za-z0-9_-]/g, '_') : name;
    const exists = RESOURCE[c.adapter.replace('-platformatic', '')];
    let delivered = 0;
    try {
      await adapter.setup();
      await adapter.setup();
      if (exists) expect(await exists(resource), 'setup made its resource').toBe(true);
      // the topology a second setup left works once: three events, three deliveries
      const consumer = await adapter.createConsumer({ subscription: 0, member: 0 }, () => void delivered++);
      await adapter.ready?.();
      const producer = await adapter.createProducer(0);
      const payload = () => new Uint8Array(ENVELOPE_BYTES + 16);
      expect(await producer.send([0, 1, 2].map((i) => ({ key: `k${i}`, payload: payload(), idempotencyKey: `${name}:${i}` })))).toEqual(['ok', 'ok', 'ok']);
      for (let t = 0; t < 100 && delivered < 3; t++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 300));
      expect(delivered).toBe(3);
      await producer.close();
      await consumer.close();
    } finally {
      await adapter.teardown();
    }
    if (exists) expect(await exists(resource), 'teardown removed it').toBe(false);
  });

  it('10,000 events at 2,000/s: every one delivered once, envelope intact, in order where promised', async () => {
    const r = await run(c, '{ producers: 2, consumers: 2, rate: 2k/s, duration: 5s, message: { size: 200B, keys: { count: 50 } } }');
    expect(r.counts.attempted).toBeGreaterThanOrEqual(9_900);
    expect(r.counts).toMatchObject({ acked: r.counts.attempted, delivered: r.counts.attempted, lost: 0, unexpected: 0, failed: 0, indeterminate: 0 });
    if (c.ordered) expect(r.counts.reordered).toBe(0);
    expect(r.foreign).toBe(0);
    // read once, each partition forwards
    expect(r.counts).toMatchObject({ redelivered: 0, nonmonotonic: 0 });
    // where the broker's answers said it put each event (Kafka offsets, JetStream sequences, Redis
    // entry IDs) is where the final read found it
    if (['kafka', 'kafka-platformatic', 'nats', 'redis'].includes(c.adapter)) expect(r.positions).toEqual({ placed: r.counts.acked, confirmed: r.counts.acked });
    else expect(r.positions).toBeUndefined();
    // the final read found every event written, once, and nothing else of this run (of a queue: nothing left)
    if (c.readBack === 'log') expect(r.finalRead).toMatchObject({ complete: true, events: r.counts.acked });
    // a queue read after every message was consumed and acknowledged: nothing left, and that is proof
    else if (c.readBack === 'leftovers') expect(r.finalRead).toMatchObject({ complete: true, events: 0 });
    else expect(r.finalRead).toMatchObject({ source: null, complete: false, why: expect.stringMatching(/not proven/) });
    console.log(`${c.adapter}: e2e p50 ${r.latency.e2e.p50} ms p99 ${r.latency.e2e.p99} ms at 2,000/s; publish p99 ${r.latency.publish.p99} ms`);
  });

  it('the CLI process exits by itself after a run (every connection closed)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-conf-'));
    const file = path.join(dir, 's.yaml');
    writeFileSync(file, `name: ${uniqueName(`exit-${c.adapter}`)}\ntargets:\n  t: ${c.target}\nworkload: { rate: 200/s, duration: 2s }\ndrain: { quiet: 500ms }\ngates: [lost == 0]\n`);
    const r = await cli(['run', file, '--out', dir, '--quiet'], 45_000);
    expect(r.killed, `the process did not exit by itself: ${r.stderr}`).toBe(false);
    expect(r.code, r.stderr).toBe(0);
  });
});

// The tests that need a network path to fault: every adapter with a Toxiproxy proxy.
describe.each(CASES.filter((c) => c.proxy))('adapter conformance through Toxiproxy: $adapter', (c) => {
  // One run, judged by its phases: a baseline, two downstream latency toxics (L1, L2) and a 2 s outage.
  it(`calibration and outage from one run's phases: latency toxics of ${L1} and ${L2} ms, then the proxy down for 2 s`, async () => {
    const s = scenario(
      c,
      // 5/s: a send every 200 ms, longer than either L, so no send or read queues behind another and
      // each shift is the toxic's alone.
      '{ producers: 1, consumers: 1, rate: 5/s, duration: 16s, message: { keys: { count: 10 } } }',
      `faults:
  - { at: 3s, for: 3s, latency: { latency: ${L1}ms } }
  - { at: 7s, for: 3s, latency: { latency: ${L2}ms } }
  - { at: 11s, for: 2s, down: true }
`,
    );
    const r = (await runScenario(s, { write: false })).result;
    const phase = (name: string) => r.phases.find((p) => p.name === name)!;
    const base = phase('baseline').latency;
    for (const [name, L] of [
      ['fault-1', L1],
      ['fault-2', L2],
    ] as const) {
      const lat = phase(name).latency;
      const publish = lat.publish.p50 - base.publish.p50;
      const e2e = lat.e2e.p50 - base.e2e.p50;
      console.log(`${c.adapter} calibration: L ${L} ms → publish p50 +${publish.toFixed(2)} ms, e2e p50 +${e2e.toFixed(2)} ms (cycle allowed ${c.cycle(L)} ms)`);
      expect(lat.publish.count).toBeGreaterThanOrEqual(14);
      expect(Math.abs(publish - L), `publish shift ${publish} ms for L ${L} ms`).toBeLessThanOrEqual(0.03 * L);
      expect(e2e, `e2e shift ${e2e} ms for L ${L} ms`).toBeGreaterThanOrEqual(0.97 * L);
      expect(e2e, `e2e shift ${e2e} ms for L ${L} ms`).toBeLessThanOrEqual(L + c.cycle(L));
    }
    const k = r.counts;
    const outage = phase('fault-3').counts;
    // Clients that queue while disconnected (MQTT QoS 1) show the outage as sends waiting for it.
    const waited = phase('fault-3').latency.publish.max >= 1000;
    expect(outage.failed + outage.indeterminate > 0 || waited, 'the outage must show as failed or indeterminate sends, or as sends that waited it out').toBe(true);
    expect(k.lost, 'nothing acknowledged may be lost').toBe(0);
    expect(r.faults.map((f) => [f.applied, f.healed])).toEqual([
      [true, true],
      [true, true],
      [true, true],
    ]);
    expect(
      r.intervals.slice(-2).every((iv) => iv.acked > 0),
      'acks resume after the outage, before the load ends',
    ).toBe(true);
    expect(phase('recovery-3').counts.delivered, 'deliveries resume after the outage').toBeGreaterThan(0);
  }, 90_000);

  it('an unreachable broker: exit 3 within 10 s, naming the address and scripts/services.sh', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-conf-'));
    const file = path.join(dir, 's.yaml');
    writeFileSync(file, `name: unreachable\ntargets:\n  t: ${c.target}\nworkload: { rate: 10/s, duration: 1s }\n`);
    await tp.setEnabled(c.proxy!, false);
    try {
      const r = await cli(['run', file, '--out', dir, '--quiet'], 20_000);
      expect(r.code, r.stderr).toBe(3);
      expect(r.ms).toBeLessThan(10_000);
      expect(r.stderr).toContain(c.address!);
      expect(r.stderr).toContain('scripts/services.sh');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await tp.setEnabled(c.proxy!, true);
    }
  });
});
