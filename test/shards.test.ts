// Needs: Redis and Kafka from scripts/services.sh (and nothing for the memory cases). A run split over
// shards, emulated as a Kubernetes Indexed Job would run it: separate `faultline shard` processes with
// JOB_COMPLETION_INDEX set and one store, then `faultline merge`.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendIndex } from '../src/check/views.js';
import { HistoryFile } from '../src/observe/history.js';
import { initHistograms, newHistogram, recordMs, summarize } from '../src/observe/histograms.js';
import { runResultSchema, type RunResult } from '../src/result.js';
import { JoinedHistory } from '../src/shard/joined-history.js';
import { cli } from './helpers/cli.js';
import { ROOT, uniqueName } from './helpers/services.js';

interface Shard {
  index: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill: (sig: NodeJS.Signals) => void;
}

/** Starts `count` shard processes as an Indexed Job's pods would be: the index from JOB_COMPLETION_INDEX. */
function indexedJob(file: string, count: number, store: string): Shard[] {
  return Array.from({ length: count }, (_, index) => {
    const child = spawn('node', [`${ROOT}bin/faultline.js`, 'shard', file, '--count', String(count), '--store', store], { cwd: ROOT, env: { ...process.env, JOB_COMPLETION_INDEX: String(index) } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    return { index, kill: (sig) => child.kill(sig), exited: new Promise((r) => child.on('close', (code, signal) => r({ code, signal, stderr }))) };
  });
}

function scenarioFile(yaml: string): { file: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-shards-'));
  const file = path.join(dir, 's.yaml');
  writeFileSync(file, yaml);
  return { file, dir };
}

async function merge(store: string, out: string): Promise<{ code: number | null; stderr: string; result: RunResult | null }> {
  const r = await cli(['merge', store, '--out', out, '--json']);
  return { code: r.code, stderr: r.stderr, result: r.stdout.trim() ? runResultSchema.parse(JSON.parse(r.stdout)) : null };
}

describe('a run split over shards', () => {
  it('3 emulated shards on the faulty memory broker, every knob on: the merged counts are exactly what the shards injected', async () => {
    const { file, dir } = scenarioFile(`name: shards-mem
seed: 11
targets:
  m: { adapter: memory, partitions: 3, drop: 1%, duplicate: 2%, reorder: 1%, failAcks: 1%, lostAcks: 2% }
workload: { producers: 3, consumers: 3, subscriptions: 2, rate: 3k/s, duration: 2s, message: { keys: { count: 10 } } }
drain: { quiet: 300ms, deadline: 2s }
expect: { ordering: per-key }
`);
    const store = path.join(dir, 'store');
    const shards = indexedJob(file, 3, store);
    for (const s of shards) expect((await s.exited).code, (await s.exited).stderr).toBe(0);
    const { code, result } = await merge(store, path.join(dir, 'run'));
    const r = result!;
    expect(code).toBe(1); // the knobs lose, reorder and duplicate events: the verdicts say so
    expect(r.counts.attempted).toBe(6000);
    expect(r.counts.lost).toBe(r.adapterStats.dropped);
    expect(r.counts.failed).toBe(r.adapterStats.failedAcks);
    expect(r.counts.indeterminate).toBe(r.adapterStats.lostAcks);
    expect(r.counts.recovered).toBe(r.adapterStats.lostAcks * 2 - r.adapterStats.droppedUnacked);
    expect(r.counts.duplicateDeliveries).toBe(r.adapterStats.duplicated);
    expect(r.counts.reordered).toBe(r.adapterStats.reordered);
    expect(r.shards?.count).toBe(3);
  }, 60_000);

  it('3 emulated shards on Kafka: events consumed on other shards than their producer’s all match; the merged e2e histogram is the shards’ added', async () => {
    const { file, dir } = scenarioFile(`name: ${uniqueName('shards-kafka')}
seed: 12
targets:
  k: { adapter: kafka, brokers: [127.0.0.1:19092], topic: { partitions: 6 }, consumer: { sessionTimeout: 6s } }
workload: { producers: 3, consumers: 3, rate: 600/s, duration: 4s, message: { keys: { count: 30 } } }
drain: { quiet: 1s, deadline: 20s }
`);
    const store = path.join(dir, 'store');
    const shards = indexedJob(file, 3, store);
    for (const s of shards) expect((await s.exited).code, (await s.exited).stderr).toBe(0);
    const { code, result, stderr } = await merge(store, path.join(dir, 'run'));
    expect(code, stderr).toBe(0);
    const r = result!;
    expect(r.counts.attempted).toBe(2400);
    expect(r.counts).toMatchObject({ acked: 2400, delivered: 2400, lost: 0, unexpected: 0 });
    // Each shard's deliveries as its own e2e histogram (intended times from the producers' shards), added by hand.
    await initHistograms();
    const parts = [0, 1, 2].map((i) => new HistoryFile(path.join(store, `shard-${i}`, 'observations.bin')));
    const sends = sendIndex(new JoinedHistory(parts));
    const sum = newHistogram();
    let crossShard = 0;
    for (const [i, part] of parts.entries()) {
      const h = newHistogram();
      const seen = new Set<string>();
      for (const b of part.deliveries()) {
        for (let j = 0; j < b.n; j++) {
          const id = `${b.producer[j]}:${b.seq[j]}`;
          if (seen.has(id)) continue;
          seen.add(id);
          if (b.producer[j] % 3 !== i) crossShard++;
          recordMs(h, b.base + b.offsetUs[j] / 1000 - sends.intended[b.producer[j]][b.seq[j]]);
        }
      }
      sum.add(h);
      h.destroy();
    }
    expect(crossShard, 'consumers received events produced on other shards').toBeGreaterThan(0);
    const added = summarize(sum);
    sum.destroy();
    expect(r.latency.e2e).toEqual(added);
  }, 90_000);

  it('one shard killed with SIGKILL mid-run: merge exits non-zero naming it', async () => {
    const { file, dir } = scenarioFile('name: shards-kill\ntargets: { m: { adapter: memory } }\nworkload: { producers: 2, consumers: 2, rate: 1k/s, duration: 4s }\ndrain: { quiet: 300ms, deadline: 2s }\n');
    const store = path.join(dir, 'store');
    const shards = indexedJob(file, 2, store);
    await new Promise((r) => setTimeout(r, 3000));
    shards[1].kill('SIGKILL');
    expect((await shards[1].exited).signal).toBe('SIGKILL');
    await shards[0].exited;
    const { code, result } = await merge(store, path.join(dir, 'run'));
    expect(code).toBe(3);
    expect(result!.status).toBe('error');
    expect(result!.error).toMatch(/shard 1: its history ends without the run's end/);
  }, 60_000);

  it('run --workers 2 on Redis: the same counts a single process gets, one merged histogram per metric', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-workers-'));
    const r = await cli(['run', 'scenarios/redis-baseline.yaml', '--workers', '2', '--set', 'duration=4s', '--set', 'warmup=1s', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = runResultSchema.parse(JSON.parse(r.stdout));
    expect(result.counts).toMatchObject({ attempted: 5000, acked: 5000, delivered: 5000, lost: 0, unexpected: 0 });
    expect(result.shards).toMatchObject({ count: 2 });
    for (const h of Object.values(result.histograms)) expect(h.length).toBeGreaterThan(10);
    expect(result.latency.e2e.count).toBe(4000);
  }, 90_000);
});
