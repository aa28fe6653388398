// Needs: Kafka and Toxiproxy from scripts/services.sh. HTTP ingress through the example gateway:
// every 2xx-acknowledged event arrives through Kafka; with the gateway's Kafka link down, answers turn
// into 503s or timeouts and still nothing acknowledged is lost.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../src/run/index.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { ROOT, uniqueName } from './helpers/services.js';

const topic = uniqueName('fl-gateway');
let gateway: ChildProcess;
let port = 0;

beforeAll(async () => {
  gateway = spawn('node', [`${ROOT}examples/http-gateway/server.mjs`, '--topic', topic, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  port = await new Promise<number>((resolve, reject) => {
    gateway.stdout!.on('data', (d) => {
      const m = String(d).match(/listening on (\d+)/);
      if (m) resolve(Number(m[1]));
    });
    gateway.once('exit', (code) => reject(new Error(`the gateway exited (${code})`)));
  });
});
afterAll(() => {
  gateway?.kill('SIGTERM');
});

async function run(set: string[]) {
  const { scenario } = loadScenarioFile(`${ROOT}examples/http-gateway/scenario.yaml`, { env: { ...process.env, GATEWAY_TOPIC: topic, GATEWAY_PORT: String(port) }, set });
  return (await runScenario(scenario, { write: false })).result;
}

describe('HTTP ingress through an event gateway into Kafka', () => {
  it('without faults: every 2xx-acknowledged event is delivered (lost == 0)', async () => {
    const r = await run(['faults=[]', 'duration=5s', 'warmup=1s']);
    console.log(`gateway, no fault: ${JSON.stringify(r.counts)}; e2e p50 ${r.latency.e2e.p50} ms p99 ${r.latency.e2e.p99} ms; ${JSON.stringify(r.adapterStats)}`);
    expect(r.counts.attempted).toBeGreaterThan(1500);
    expect(r.counts.acked).toBe(r.counts.attempted);
    expect(r.counts.lost).toBe(0);
    expect(r.counts.delivered).toBe(r.counts.acked);
    expect(r.counts.unexpected).toBe(0);
  });

  it('closed loop through autocannon (8 connections × 4 pipelined): each request one event, each sent once, every 2xx delivered', async () => {
    const r = await run(['faults=[]', 'duration=4s', 'warmup=1s', 'workload.rate={closed: {}}', 'ingress.engine=autocannon', 'ingress.connections=8', 'ingress.pipelining=4']);
    console.log(`gateway, autocannon closed loop: ${JSON.stringify(r.counts)}; ${r.throughput.ackedPerSec}/s acked; publish p99 ${r.latency.publish.p99} ms; ${JSON.stringify(r.adapterStats)}`);
    const k = r.counts;
    expect(k.acked).toBeGreaterThan(1000);
    // what was still in flight when the load ended: at most connections × pipelining
    expect(k.indeterminate).toBeLessThanOrEqual(32);
    expect(k.lost).toBe(0);
    // a body sent twice would be written twice by the gateway: each request carried its own event
    expect(k.duplicated).toBe(0);
    expect(k.unexpected).toBe(0);
  });

  it('with the gateway’s Kafka link down for 3 s: failed or indeterminate answers, nothing acknowledged lost', async () => {
    const r = await run([]);
    console.log(`gateway, Kafka link down 3 s: ${JSON.stringify(r.counts)}; ${JSON.stringify(r.adapterStats)}`);
    const k = r.counts;
    expect(k.failed + k.indeterminate).toBeGreaterThan(0);
    expect(k.lost).toBe(0);
    expect(r.faults[0]).toMatchObject({ applied: true, healed: true });
  }, 90_000);
});
