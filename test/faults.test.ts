// Needs: the local services of scripts/services.sh (Kafka, Redis, Mosquitto, Toxiproxy).
// Calibration: faults injected through the real Toxiproxy and process actions show up in the
// measurements by the amounts injected, every fault is healed, and `faultline heal` cleans up after
// a run killed with SIGKILL.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Toxiproxy } from '../src/nemesis/toxiproxy.js';
import type { RunResult } from '../src/result.js';
import { recheckRun } from '../src/recheck.js';
import { runScenario } from '../src/run/index.js';
import { parseScenario } from '../src/scenario/load.js';
import { probe, ROOT, uniqueName } from './helpers/services.js';

const tp = new Toxiproxy();

async function run(yaml: string, write = false): Promise<RunResult> {
  const { scenario } = parseScenario(`name: ${uniqueName('cal')}\nseed: 5\n${yaml}`, 'calibration.yaml');
  return (await runScenario(scenario, { write })).result;
}
const phase = (r: RunResult, name: string) => r.phases.find((p) => p.name === name)!;

describe('fault calibration on real brokers', () => {
  it('the proxy down for 3 s at 500 events/s: events of the stall show e2e up to ~3 s, nothing acknowledged lost (Kafka, a retrying producer; kafka-idempotent-blackout.yaml takes the idempotent one through an outage)', async () => {
    const r = await run(`targets:
  t: { adapter: kafka, brokers: [127.0.0.1:19092], proxy: kafka, topic: { partitions: 3 }, producer: { acks: all, retries: 20 }, consumer: { sessionTimeout: 6s } }
workload: { producers: 1, consumers: 1, rate: 500/s, duration: 12s, warmup: 1s }
faults:
  - { at: 3s, for: 3s, down: true }
drain: { quiet: 2s, deadline: 30s }`);
    const win = phase(r, 'fault-1');
    console.log(`kafka down 3 s: window e2e p50 ${win.latency.e2e.p50} ms p99 ${win.latency.e2e.p99} ms; counts ${JSON.stringify(r.counts)}; recovery ${JSON.stringify(r.recovery)}`);
    expect(win.latency.e2e.p99).toBeGreaterThanOrEqual(2000);
    expect(r.counts.lost).toBe(0);
    // open loop: the schedule's 6,500 events (500/s for 13 s) are all attempted, whatever the outage did
    expect(r.counts.attempted).toBe(6500);
    expect(r.faults[0]).toMatchObject({ kind: 'down', applied: true, healed: true });
  }, 90_000);

  it('reset_peer with toxicity 0.2 gives failed or indeterminate sends, and faultline check re-judges the run to the same result (Redis)', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-reset-'));
    const r = await run(
      `report: { out: ${JSON.stringify(out)} }
gates: [lost == 0, "e2e.p99 < 5s", { phase: recovery, check: "throughput.delivered > 100/s" }]
targets:
  t: { adapter: redis, port: 16379, proxy: redis, requestTimeout: 2s }
workload: { producers: 4, consumers: 1, rate: 800/s, duration: 12s }
faults:
  - { at: 1s, for: 500ms, repeat: { every: 1s, times: 8 }, reset_peer: { toxicity: 0.2 } }
drain: { quiet: 1s, deadline: 15s }`,
      true,
    );
    const k = r.counts;
    console.log(`reset_peer 0.2 ×8: ${JSON.stringify(k)}`);
    expect(r.faults).toHaveLength(8);
    expect(r.faults.every((f) => f.applied && f.healed)).toBe(true);
    expect(k.attempted).toBe(9600);
    expect(k.failed + k.indeterminate).toBeGreaterThan(0);
    expect(k.lost).toBe(0);
    // Judged again from observations.bin alone: every count, verdict, gate, latency figure and series.
    const dir = path.join(out, readdirSync(out)[0]);
    const again = (await recheckRun(dir, { write: false })).result;
    const judged = (x: RunResult) => ({
      status: x.status,
      verdicts: x.verdicts,
      counts: x.counts,
      lostSplit: x.lostSplit,
      subscriptions: x.subscriptions,
      gates: x.gates,
      latency: x.latency,
      throughput: x.throughput,
      phases: x.phases,
      recovery: x.recovery,
      intervals: x.intervals,
      samples: x.samples,
      faults: x.faults,
    });
    expect(judged(again)).toEqual(judged(r));
    expect(JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')).counts).toEqual(again.counts);
  });

  it('pausing the broker process for 3 s behaves like a stall and recovers (Redis)', async () => {
    const r = await run(`targets:
  t: { adapter: redis, port: 16379, proxy: redis, requestTimeout: 10s }
workload: { producers: 1, consumers: 1, rate: 300/s, duration: 15s, warmup: 1s }
faults:
  - { at: 3s, for: 3s, pause: redis }
drain: { quiet: 1s, deadline: 15s }`);
    const win = phase(r, 'fault-1');
    console.log(`redis paused 3 s: window e2e p50 ${win.latency.e2e.p50} ms max ${win.latency.e2e.max} ms; recovery ${JSON.stringify(r.recovery)}`);
    expect(win.latency.e2e.max).toBeGreaterThanOrEqual(2500);
    expect(r.counts.lost).toBe(0);
    expect(r.counts.delivered).toBeGreaterThanOrEqual(r.counts.acked);
    expect(r.recovery[0].recoveryMs).not.toBeNull();
    expect(r.faults[0]).toMatchObject({ kind: 'pause', applied: true, healed: true });
    expect(await probe('redis', 'direct')).toBeNull();
  });

  it('Ctrl-C mid-fault: exit 130, the toxic removed, the partial result records the fault as healed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-int-'));
    const file = path.join(dir, 'int.yaml');
    writeFileSync(file, `name: interrupt-me\ntargets:\n  t: { adapter: redis, port: 16379, proxy: redis }\nworkload: { rate: 50/s, duration: 30s }\nfaults:\n  - { at: 1s, for: 25s, latency: { latency: 300ms } }\n`);
    const child = spawn('node', [`${ROOT}bin/faultline.js`, 'run', file, '--out', dir, '--quiet'], { cwd: ROOT, stdio: 'ignore' });
    try {
      const t0 = Date.now();
      while ((await tp.proxy('redis')).toxics.length === 0) {
        if (Date.now() - t0 > 20_000) throw new Error('the run never applied its toxic');
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGINT');
      const code = await new Promise((r) => child.once('exit', r));
      expect(code).toBe(130);
      expect((await tp.proxy('redis')).toxics).toEqual([]);
      const runDir = path.join(
        dir,
        readdirSync(dir).find((d) => d.startsWith('interrupt-me'))!,
      );
      const result = JSON.parse(readFileSync(path.join(runDir, 'result.json'), 'utf8')) as RunResult;
      expect(result.status).toBe('aborted');
      expect(result.faults[0]).toMatchObject({ applied: true, healed: true });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a run killed with SIGKILL mid-fault leaves its toxic; `faultline heal RUN_FOLDER` removes it and traffic flows', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-heal-'));
    const file = path.join(dir, 'kill.yaml');
    writeFileSync(file, `name: heal-me\ntargets:\n  t: { adapter: redis, port: 16379, proxy: redis }\nworkload: { rate: 50/s, duration: 30s }\nfaults:\n  - { at: 1s, for: 25s, timeout: { timeout: 0 } }\n`);
    const child = spawn('node', [`${ROOT}bin/faultline.js`, 'run', file, '--out', dir, '--quiet'], { cwd: ROOT, stdio: 'ignore' });
    const toxicOn = async () => Object.values((await tp.proxy('redis')).toxics).length > 0;
    try {
      const t0 = Date.now();
      while (!(await toxicOn())) {
        if (Date.now() - t0 > 20_000) throw new Error('the run never applied its toxic');
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(await toxicOn(), 'SIGKILL cannot heal: the toxic is still there').toBe(true);
      const runDir = path.join(
        dir,
        readdirSync(dir).find((d) => d.startsWith('heal-me'))!,
      );
      expect(existsSync(path.join(runDir, 'nemesis.json'))).toBe(true);
      const healed = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const h = spawn('node', [`${ROOT}bin/faultline.js`, 'heal', runDir], { cwd: ROOT });
        let out = '';
        h.stdout.on('data', (d) => (out += d));
        h.on('close', (code) => resolve({ code, out }));
      });
      expect(healed.code).toBe(0);
      expect(healed.out).toMatch(/healed: remove toxic faultline-\w+-fault-1-downstream from redis/);
      expect(await toxicOn()).toBe(false);
      expect(await probe('redis', 'proxy')).toBeNull();
    } finally {
      child.kill('SIGKILL');
      await tp.reset();
    }
  });
});
