// Needs: root and network namespaces; starts the local 3-node Kafka, NATS, RabbitMQ and Redis
// (Sentinel) clusters itself (scripts/cluster.sh up NAME, idempotent) and leaves them running like the other services. The positive controls of
// scenarios/clusters/ assert the outcome their comments state, and a partition is healed however its
// run ends (the router's rules are listed after each).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLUSTERS, routerRules } from '../src/cluster/local.js';
import type { RunResult } from '../src/result.js';
import { runScenario } from '../src/run/index.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { cli } from './helpers/cli.js';
import { ROOT } from './helpers/services.js';

const run = promisify(execFile);
const clusterSh = async (...args: string[]) => (await run('bash', [`${ROOT}scripts/cluster.sh`, ...args], { timeout: 150_000 })).stdout;

async function until(what: string, cond: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  await clusterSh('up', 'kafka');
  await clusterSh('up', 'nats');
  await clusterSh('up', 'rabbitmq');
  await clusterSh('up', 'redis');
}, 300_000);

// Twelve nodes left running would load the machine for whatever runs next.
afterAll(async () => {
  await clusterSh('down');
}, 120_000);

describe('the local 3-node clusters', () => {
  it.each([
    ['kafka', 'kafka3', 'quorum leader'],
    ['nats', 'nats3', 'JetStream meta leader'],
    ['rabbitmq', 'rabbitmq3', null],
    ['redis', 'redis3', 'primary'],
  ] as const)('%s: status shows each node with the address faultline uses, its pid, and its leader if it has one', async (name, cluster, leader) => {
    const status = await clusterSh('status', name);
    const rows = status.split('\n').filter((l) => l.startsWith(`${name} `));
    expect(rows).toHaveLength(3);
    for (const node of LOCAL_CLUSTERS[cluster].nodes) {
      const row = rows.find((r) => r.split(/\s+/)[1] === node.name)!;
      expect(row.split(/\s+/).slice(2, 4)).toEqual([node.address, node.proxied]);
      expect(row).toMatch(/ up +\d+ /);
    }
    // RabbitMQ has no cluster-wide leader (each quorum queue elects its own)
    if (leader) expect(rows.filter((r) => r.includes(leader))).toHaveLength(1);
  });
});

const dir = `${ROOT}scenarios/clusters/`;
/**
 * A control shortened to 4 s past its fault. A run meant to lose events gets a drain just long enough
 * for what is not lost (the lost never come): a lagging consumer's backlog needs ~20 s.
 */
function control(file: string, drainSeconds: number) {
  return loadScenarioFile(dir + file, { set: ['duration=18s', 'warmup=1s', `drain.deadline=${drainSeconds}s`] }).scenario;
}

// The four clusters are independent: their controls run at the same time (each cluster's own
// controls one after the other), which keeps the file within its budget of the suite.
describe.concurrent('positive controls (scenarios/clusters/)', () => {
  it('Kafka, leader isolated: acks 1 → acknowledged events lost and named by key in the report; acks all + min.insync.replicas 2 → none lost; the leader killed → none lost and none unread, with either client', async ({ expect }) => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-cluster-'));
    const { result, dir: runDir } = await runScenario(control('kafka-acks1-isolate-leader.yaml', 6), { outDir: out });
    // what the scenario file says it shows (`shows:`) held
    expect((result.shows ?? []).filter((g) => !g.passed)).toEqual([]);
    const fault = result.faults[0];
    console.log(
      `kafka acks 1: attempted ${result.counts.attempted}, acked ${result.counts.acked}, lost ${result.counts.lost} (between deliveries ${result.lostSplit.betweenDeliveries}), unseen ${result.counts.unseen}, overwritten ${result.counts.overwritten}, final read ${result.finalRead?.events} events, positions ${JSON.stringify(result.positions)}, first lost ${JSON.stringify(result.samples.lost.slice(0, 3).map((s) => [s.id, s.at]))}; isolated ${fault.nodes}, leader ${fault.leaderBefore} → ${fault.leaderAfter}`,
    );
    expect(fault).toMatchObject({ kind: 'partition', applied: true, healed: true });
    expect(fault.nodes).toEqual([fault.leaderBefore]);
    // Who leads 2 s after the heal: Kafka's preferred-leader election may already have given the
    // partition back to the isolated node (one fresh-clone run read n1 → n1, with 2,649 lost), so the
    // proof of the failover is the loss itself: acks 1 loses nothing without a new leader.
    expect(fault.leaderAfter).toBeDefined();
    // proven, not the tail a short drain leaves or a consumer that stopped after the failover: the
    // final read of every partition to its end did not find them (what it found undelivered is unseen)
    expect(result.finalRead).toMatchObject({ complete: true });
    expect(result.counts.lost).toBeGreaterThan(0);
    expect(result.status).toBe('failed');
    // every acknowledged send has the partition and offset the leader answered, and every lost one is
    // named with them: where it was acknowledged, and where the final read did not find it
    expect(result.positions?.placed).toBe(result.counts.acked);
    for (const s of result.samples.lost) expect(s.at).toEqual([[expect.any(Number), expect.any(Number)]]);
    const html = readFileSync(path.join(runDir!, 'report.html'), 'utf8');
    for (const s of result.samples.lost.slice(0, 5)) {
      expect(s.key).toBeGreaterThanOrEqual(0);
      expect(html).toContain(`<code>${s.id}</code></td><td>k${s.key}</td>`);
    }
    expect(html).toContain('id="node-timeline"');

    const all = (await runScenario(control('kafka-acks-all-isolate-leader.yaml', 30), { write: false })).result;
    // what the scenario file says it shows (`shows:`) held
    expect((all.shows ?? []).filter((g) => !g.passed)).toEqual([]);
    const f2 = all.faults[0];
    console.log(
      `kafka acks all: attempted ${all.counts.attempted}, acked ${all.counts.acked}, indeterminate ${all.counts.indeterminate}, lost ${all.counts.lost}, unseen ${all.counts.unseen}, duplicated ${all.counts.duplicated} (redelivered ${all.counts.redelivered}, written twice ${all.counts.duplicateWrites}), nonmonotonic reads ${all.counts.nonmonotonic}, positions ${JSON.stringify(all.positions)}; leader ${f2.leaderBefore} → ${f2.leaderAfter}`,
    );
    expect(f2).toMatchObject({ kind: 'partition', applied: true, healed: true });
    expect(all.counts.acked).toBeGreaterThan(0);
    expect(all.counts.lost).toBe(0);
    expect(all.counts.unexpected).toBe(0);
    // and every acknowledged event is at the offset its acknowledgement gave
    expect(all.positions).toEqual({ placed: all.counts.acked, confirmed: all.counts.acked });
    // every duplicate explained by positions: read again from the same offset, or written at two
    expect(all.counts.redelivered + all.counts.duplicateWrites).toBeGreaterThanOrEqual(all.counts.duplicated);

    // The leader killed, both clients: nothing lost, nothing left unread, faultline's consumers back
    // after the failover (@platformatic/kafka's ended stream opened again, kafkajs' restarted consumer)
    for (const target of ['kafkajs', 'platformatic']) {
      const kill = loadScenarioFile(`${dir}kafka-acks-all-kill-leader.yaml`, { set: ['duration=18s', 'warmup=1s', 'drain.deadline=30s'] }).scenario;
      const r = (await runScenario(kill, { write: false, target })).result;
      const f = r.faults[0];
      const crashes = r.clientEvents.filter((e) => e.kind === 'crash');
      console.log(
        `kafka acks all, leader killed, ${target}: acked ${r.counts.acked}, indeterminate ${r.counts.indeterminate}, delivered ${r.counts.delivered}, lost ${r.counts.lost}, unseen ${r.counts.unseen}, duplicated ${r.counts.duplicated} (redelivered ${r.counts.redelivered}, written twice ${r.counts.duplicateWrites}), final read ${r.finalRead?.events}; killed ${f.nodes}, leader ${f.leaderBefore} → ${f.leaderAfter}; consumer crashes ${crashes.map((e) => e.reason).join(' | ')}`,
      );
      expect(f).toMatchObject({ kind: 'kill', applied: true, healed: true });
      // the producer is back after the failover: most of what it sent after the heal acknowledged
      // (during the kill, @platformatic/kafka's sends can fail for all 10 s: one CI run acked 3,732 of 7,600)
      const after = r.phases.find((p) => p.name === 'recovery-1')!.counts;
      expect(after.acked).toBeGreaterThan(after.attempted / 2);
      expect(r.finalRead).toMatchObject({ complete: true });
      // nothing acknowledged is gone from the log, with either client
      expect(r.counts.lost).toBe(0);
      // nothing left unread: faultline's consumer came back with either client (what the scenario
      // file says it shows, `shows:`, held)
      expect(r.counts.unseen).toBe(0);
      // and no member went past events the log holds (sessions end at the clients' crashes and rebalances)
      expect(r.counts.readGaps).toBe(0);
      expect((r.shows ?? []).filter((g) => !g.passed)).toEqual([]);
      expect(r.counts.redelivered + r.counts.duplicateWrites).toBeGreaterThanOrEqual(r.counts.duplicated);
    }
  }, 320_000);

  it.for(['nats-r3-kill-leader.yaml', 'rabbitmq-quorum-kill-leader.yaml'])('%s: the leader killed for 12 s and restarted → a new leader, nothing acknowledged lost', { timeout: 150_000 }, async (file, { expect }) => {
    const scenario = loadScenarioFile(dir + file, { set: ['duration=20s', 'warmup=1s', 'drain.deadline=30s'] }).scenario;
    const { result } = await runScenario(scenario, { write: false });
    // what the scenario file says it shows (`shows:`) held
    expect((result.shows ?? []).filter((g) => !g.passed)).toEqual([]);
    const fault = result.faults[0];
    console.log(`${file}: attempted ${result.counts.attempted}, acked ${result.counts.acked}, indeterminate ${result.counts.indeterminate}, lost ${result.counts.lost}; killed ${fault.nodes}, leader ${fault.leaderBefore} → ${fault.leaderAfter}; recovery ${result.recovery[0]?.recoveryMs} ms`);
    expect(fault).toMatchObject({ kind: 'kill', applied: true, healed: true });
    expect(fault.nodes).toEqual([fault.leaderBefore]);
    expect(fault.leaderAfter).toBeDefined();
    expect(fault.leaderAfter).not.toBe(fault.leaderBefore);
    expect(result.counts.acked).toBeGreaterThan(result.counts.attempted / 2);
    expect(result.counts.lost).toBe(0);
    expect(result.counts.unexpected).toBe(0);
  });

  it('Redis with Sentinel, the primary cut off from replicas and Sentinels, the consumer lagging: no WAIT → acknowledged entries lost, named by key; WAIT 1 → none lost, sends indeterminate', async ({ expect }) => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-cluster-'));
    // 150/s against a consumer at 100/s: 2.5 s behind when the partition starts, so it has not read the
    // old primary's last writes when the clients follow the failover; it then gets past them within the drain.
    const scenario = loadScenarioFile(`${dir}redis-sentinel-isolate-primary.yaml`, { set: ['duration=18s', 'warmup=1s', 'workload.rate=150/s', 'drain.deadline=15s'] }).scenario;
    const { result, dir: runDir } = await runScenario(scenario, { outDir: out });
    // what the scenario file says it shows (`shows:`) held
    expect((result.shows ?? []).filter((g) => !g.passed)).toEqual([]);
    const fault = result.faults[0];
    console.log(
      `redis no WAIT: acked ${result.counts.acked}, lost ${result.counts.lost} (between deliveries ${result.lostSplit.betweenDeliveries}), unseen ${result.counts.unseen}, duplicated ${result.counts.duplicated}; isolated ${fault.nodes}, primary ${fault.leaderBefore} → ${fault.leaderAfter}`,
    );
    expect(fault).toMatchObject({ kind: 'partition', applied: true, healed: true });
    expect(fault.nodes).toEqual([fault.leaderBefore]);
    expect(fault.leaderAfter).toBeDefined();
    expect(fault.leaderAfter).not.toBe(fault.leaderBefore);
    // proven by the final read of the stream on the new primary: the old primary's last writes are gone
    expect(result.finalRead).toMatchObject({ complete: true });
    expect(result.counts.lost).toBeGreaterThan(0);
    const html = readFileSync(path.join(runDir!, 'report.html'), 'utf8');
    for (const s of result.samples.lost.slice(0, 3)) expect(html).toContain(`<code>${s.id}</code></td><td>k${s.key}</td>`);

    // 150/s against a consumer at 100/s: the backlog left at the end drains within the deadline
    const wait = (await runScenario(loadScenarioFile(`${dir}redis-sentinel-wait-isolate-primary.yaml`, { set: ['duration=18s', 'warmup=1s', 'workload.rate=150/s', 'drain.deadline=30s'] }).scenario, { write: false })).result;
    // what the scenario file says it shows (`shows:`) held
    expect((wait.shows ?? []).filter((g) => !g.passed)).toEqual([]);
    const f2 = wait.faults[0];
    console.log(`redis WAIT 1: acked ${wait.counts.acked}, indeterminate ${wait.counts.indeterminate}, lost ${wait.counts.lost}, duplicated ${wait.counts.duplicated}; primary ${f2.leaderBefore} → ${f2.leaderAfter}`);
    expect(f2).toMatchObject({ kind: 'partition', applied: true, healed: true });
    expect(f2.leaderAfter).not.toBe(f2.leaderBefore);
    expect(wait.counts.indeterminate).toBeGreaterThan(0);
    expect(wait.counts.lost).toBe(0);
    expect(wait.counts.unexpected).toBe(0);
  }, 200_000);
});

describe('a partition is healed however its run ends', () => {
  function start(): { dir: string; child: ReturnType<typeof spawn>; exited: Promise<number | null> } {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-partition-'));
    const file = path.join(dir, 's.yaml');
    // on the Redis cluster, whose client setup takes a moment (a Kafka group join can take seconds after the controls' partitions)
    writeFileSync(file, `name: part\ntargets:\n  r: { adapter: redis, cluster: redis3 }\nworkload: { rate: 50/s, duration: 40s, warmup: 0s }\nfaults:\n  - { at: 1s, for: 30s, partition: { between: [[n1], [n2, n3]], mode: prohibit } }\n`);
    const child = spawn('node', [`${ROOT}bin/faultline.js`, 'run', file, '--out', dir, '--quiet'], { cwd: ROOT, stdio: 'ignore' });
    return { dir, child, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
  }
  const runDirOf = (dir: string) =>
    path.join(
      dir,
      readdirSync(dir).find((d) => d.startsWith('part-'))!,
    );

  it.each([['SIGINT'], ['SIGTERM']] as const)(
    '%s while the partition is in place: every rule removed, the fault logged healed',
    async (signal) => {
      const { dir, child, exited } = start();
      try {
        await until('the partition rules', async () => (await routerRules()).length === 4);
        child.kill(signal);
        expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running 40 s after the signal'), 40_000))])).toBe(130);
        expect(await routerRules()).toEqual([]);
        const r = JSON.parse(readFileSync(path.join(runDirOf(dir), 'result.json'), 'utf8')) as RunResult;
        expect(r.faults[0]).toMatchObject({ kind: 'partition', nodes: ['n1'], applied: true, healed: true });
      } finally {
        child.kill('SIGKILL');
      }
    },
    90_000,
  );

  it('kill -9 leaves the rules; faultline heal RUN removes every one', async () => {
    const { dir, child, exited } = start();
    await until('the partition rules', async () => (await routerRules()).length === 4);
    child.kill('SIGKILL');
    await exited;
    expect((await routerRules()).join('\n')).toMatch(/from 198\.18\.41\.2 to 198\.18\.42\.2 prohibit/);
    const healed = await cli(['heal', runDirOf(dir)]);
    expect(healed.code, healed.stderr).toBe(0);
    expect(await routerRules()).toEqual([]);
  }, 90_000);
});
