// Needs: Redis (without persistence, as scripts/services.sh starts it) and RabbitMQ from scripts/services.sh. faultline's own
// consumers under test: a slow consumer builds a backlog at the broker, and a real broker that loses
// it is caught, by exactly the backlog it had; a member that dies with entries pending has them
// reclaimed by the survivor.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../src/result.js';
import { runScenario } from '../src/run/index.js';
import { loadScenarioFile, parseScenario } from '../src/scenario/load.js';
import { isPoison } from '../src/plan/poison.js';
import { ROOT } from './helpers/services.js';

/** What the scenario file says it shows (`shows:`) held on this run. */
const expectShows = (r: RunResult) => expect((r.shows ?? []).filter((g) => !g.passed).map((g) => `${g.expr}${g.phase ? ` [${g.phase}]` : ''}: ${g.value}`)).toEqual([]);

describe('a consumer that lags behind a broker that loses its state', () => {
  it('redis-lagging-restart: Redis killed and restarted without persistence → lost = the unread backlog Redis reported', async () => {
    const { scenario } = loadScenarioFile(`${ROOT}scenarios/redis-lagging-restart.yaml`, { set: ['drain.deadline=8s'] });
    // The group's lag (entries not yet handed to any consumer) as Redis reports it, every 50 ms until the kill.
    const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    let lastLag: number | null = null;
    let polling = true;
    const poll = (async () => {
      let stream: string | undefined;
      while (polling) {
        try {
          stream ??= (await redis.scan('0', 'MATCH', 'fl-redis-lagging-restart-*', 'COUNT', '10000', 'TYPE', 'stream'))[1][0];
          if (stream) {
            const groups = (await redis.call('XINFO', 'GROUPS', stream)) as unknown[][];
            const fields = groups[0];
            const lag = fields[fields.indexOf('lag') + 1];
            if (typeof lag === 'number') lastLag = lag;
          }
        } catch {
          if (lastLag !== null) break; // Redis is gone: the last figure is the backlog at the kill
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-lag-'));
    const { result, dir } = await runScenario(scenario, { outDir: out });
    expectShows(result);
    polling = false;
    await poll;
    redis.disconnect();
    const window = 2 * 10 + 200 * 0.05 + 100 * 0.05; // two reads of COUNT 10 in flight + arrivals and reads within one poll
    // The drain is cut short (the lost never come), so the tail of the backlog built after the restart
    // may be undelivered too: those count as lost after the last delivery. The backlog lost at the
    // kill lies between deliveries.
    const atKill = result.lostSplit.betweenDeliveries;
    console.log(
      `redis-lagging-restart: acked ${result.counts.acked}, delivered ${result.counts.delivered}, lost ${result.counts.lost} (between deliveries ${atKill}, after the last ${result.lostSplit.afterLastDelivery}); lag Redis reported before the kill ${lastLag}; group recreated ${result.adapterStats.groupsRecreated}`,
    );
    expect(result.faults[0]).toMatchObject({ kind: 'kill', applied: true, healed: true });
    expect(lastLag).toBeGreaterThan(200);
    expect(atKill).toBeGreaterThan(0);
    expect(Math.abs(atKill - lastLag!)).toBeLessThanOrEqual(window);
    // the consumer went on after the restart: events sent afterwards were delivered
    expect(result.adapterStats.groupsRecreated).toBeGreaterThanOrEqual(1);
    const html = readFileSync(path.join(dir!, 'report.html'), 'utf8');
    for (const s of result.samples.lost.slice(0, 3)) expect(html).toContain(`<code>${s.id}</code></td><td>k${s.key}</td>`);
  }, 120_000);
});

describe('a consumer member that dies', () => {
  it('redis-consumer-death: member 0 killed with entries pending → the survivor reclaims them after claimIdle, nothing lost', async () => {
    const { scenario } = loadScenarioFile(`${ROOT}scenarios/redis-consumer-death.yaml`);
    const { result } = await runScenario(scenario, { write: false });
    expectShows(result);
    const fault = result.phases.find((p) => p.name === 'fault-1')!;
    console.log(
      `redis-consumer-death: acked ${result.counts.acked}, delivered ${result.counts.delivered}, lost ${result.counts.lost}, duplicated ${result.counts.duplicated}, reordered ${result.counts.reordered}; reclaimed ${result.adapterStats.reclaimed}; fault phase e2e max ${fault.latency.e2e.max} ms`,
    );
    expect(result.faults[0]).toMatchObject({ kind: 'consumer', members: ['s0/m0'], applied: true, healed: true });
    expect(result.adapterStats.reclaimed).toBeGreaterThan(0);
    // each reclaimed entry came late: reordered behind later entries of its key, or (if the dead member
    // had handed it over before it died) delivered again; nothing else was out of order
    expect(result.counts.reordered + result.counts.duplicated).toBeGreaterThanOrEqual(result.adapterStats.reclaimed);
    expect(result.counts.reordered).toBeLessThanOrEqual(result.adapterStats.reclaimed);
    // the reclaimed entries waited at least claimIdle (2 s) in the dead member's pending list
    expect(fault.latency.e2e.max).toBeGreaterThanOrEqual(2000);
    expect(result.counts.lost).toBe(0);
    expect(result.counts.unexpected).toBe(0);
  }, 90_000);
});

// Each of these runs on its own stream or topic: side by side, they take the time of the longest. (The
// member death above runs alone: how many entries a member holds when it dies depends on timing.)
describe.concurrent('consumers under faults, side by side', () => {
  describe('a slow consumer', () => {
    it('slow-consumer: the backlog Redis reports builds in the window and drains; the report charts it with the window shaded', async () => {
      const { scenario } = loadScenarioFile(`${ROOT}scenarios/slow-consumer.yaml`);
      const out = mkdtempSync(path.join(tmpdir(), 'faultline-slow-'));
      const { result, dir } = await runScenario(scenario, { outDir: out });
      expectShows(result);
      const byPhase = Object.fromEntries(result.phases.map((p) => [p.name, p.lag]));
      console.log(
        `slow-consumer: lag by phase ${JSON.stringify(byPhase)}; samples ${result.lag!.samples.map((s) => s.value).join(' ')}; recovery ${result.recovery[0].recoveryMs} ms; delivered/s and e2e p99 by second ${result.intervals.map((iv) => `${iv.t}:${iv.delivered}/${iv.e2e.p99}`).join(' ')}`,
      );
      expect(result.lag!.source).toMatch(/XINFO GROUPS/);
      // every gate held: lost 0, lag.max per phase (baseline < 150, fault > 500), lag.final 0, recovery < 6 s
      expect(result.gates.filter((g) => !g.passed)).toEqual([]);
      // the backlog grew through the window: each sample inside it above the one before
      const fault = result.phases.find((p) => p.name === 'fault-1')!;
      const inWindow = result.lag!.samples.filter((s) => s.atMs >= fault.startMs && s.atMs < fault.endMs).map((s) => s.value);
      expect(inWindow.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < inWindow.length; i++) expect(inWindow[i]).toBeGreaterThan(inWindow[i - 1]);
      const html = readFileSync(path.join(dir!, 'report.html'), 'utf8');
      expect(html).toContain('id="chart-lag"');
      expect(html).toContain(`Max ${result.lag!.max!.toLocaleString('en-US')}, final 0`);
    }, 90_000);
  });

  describe('a rebalance storm (kafkajs members crashing without leaving)', () => {
    const storm = async (commit: 'after-effect' | 'before-effect') => {
      const { scenario } = loadScenarioFile(`${ROOT}scenarios/kafka-rebalance-storm.yaml`, { set: [`targets.kafka.consumer.commit=${commit}`, 'drain.deadline=12s'] });
      const { result } = await runScenario(scenario, { write: false });
      expectShows(result);
      console.log(
        `kafka-rebalance-storm ${commit}: acked ${result.counts.acked}, delivered ${result.counts.delivered}, lost ${result.counts.lost}, unseen ${result.counts.unseen}, duplicated ${result.counts.duplicated}; rebalances ${result.clientEvents.filter((e) => e.kind === 'rebalance').length}; lag max ${result.lag?.max}`,
      );
      expect(result.faults.map((f) => [f.members, f.applied, f.healed])).toEqual([
        [['s0/m0'], true, true],
        [['s0/m1'], true, true],
        [['s0/m2'], true, true],
      ]);
      // each crash: the group rebalanced when the member's session timed out (every member rejoins)
      expect(result.clientEvents.filter((e) => e.kind === 'rebalance' && e.atMs > 0).length).toBeGreaterThanOrEqual(6);
      return result;
    };
    it('commit after-effect: duplicates allowed and counted, nothing lost', async () => {
      const r = await storm('after-effect');
      expect(r.counts.lost).toBe(0);
      expect(r.counts.unexpected).toBe(0);
      expect(r.status).toBe('passed');
    }, 150_000);
    it('commit before-effect: a crashed member had committed the batch it was handling: those events are skipped, in the log but never delivered (unseen), not lost', async () => {
      const r = await storm('before-effect');
      // the final read of the topic finds them: the group's committed offset passed them
      expect(r.finalRead).toMatchObject({ complete: true });
      expect(r.counts.unseen).toBeGreaterThan(0);
      expect(r.counts.lost).toBe(0);
      expect(r.verdicts?.delivery).toMatchObject({ valid: 'unknown' });
      expect(r.status).toBe('failed');
    }, 150_000);
  });

  describe('poison events and a dead-letter queue', () => {
    it('poison-dlq: each poison event ends in the dead-letter topic exactly once per subscription; nothing lost', async () => {
      const { scenario } = loadScenarioFile(`${ROOT}scenarios/poison-dlq.yaml`);
      const { result } = await runScenario(scenario, { write: false });
      expectShows(result);
      // the seed's poison events among those sent (one producer, one subscription), found independently of the checker
      const poison = Array.from({ length: result.counts.attempted }, (_, seq) => isPoison(scenario.seed, 0, seq, 0.005)).filter(Boolean).length;
      console.log(`poison-dlq: acked ${result.counts.acked}, delivered ${result.counts.delivered}, dead-lettered ${result.counts.deadLettered} of ${poison} poison; ${JSON.stringify(result.adapterStats)}`);
      expect(result.counts.acked).toBe(result.counts.attempted);
      expect(poison).toBeGreaterThan(5);
      expect(result.counts.deadLettered).toBe(poison);
      // (poisoned is the checker's own count of the same function: equal by construction, not asserted)
      expect(result.adapterStats.deadLetterPublished).toBeGreaterThanOrEqual(poison);
      expect(result.counts.lost).toBe(0);
      expect(result.status).toBe('passed');
    }, 90_000);
  });
});

describe('a RabbitMQ stream is read back', () => {
  it('the final read of each subscription’s stream finds every acknowledged event once, and deliveries carry their stream offsets (read once, forwards)', async () => {
    const { scenario } = parseScenario(
      `name: rmq-stream-read\nseed: 3\ntargets:\n  r: { adapter: rabbitmq, url: "amqp://guest:guest@127.0.0.1:5672", exchange: fanout, queue: { type: stream }, consumer: { prefetch: 100 } }\nworkload: { producers: 1, consumers: 1, subscriptions: 2, rate: 1k/s, duration: 2s, warmup: 0s }\ndrain: { quiet: 500ms, deadline: 10s }\n`,
      'rmq-stream.yaml',
    );
    const { result: r } = await runScenario(scenario, { write: false });
    expect(r.counts.acked).toBeGreaterThan(1500);
    expect(r.finalRead).toMatchObject({ complete: true, events: 2 * r.counts.acked });
    expect(r.counts).toMatchObject({ lost: 0, unseen: 0, redelivered: 0, nonmonotonic: 0, duplicateWrites: 0 });
  });
});
