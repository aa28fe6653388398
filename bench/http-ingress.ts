// HTTP ingress both ways against examples/http-gateway (a gateway writing each POST to Kafka), one
// invocation (needs scripts/services.sh up): the undici open loop at fixed rates (latency at a known
// load, measured from each event's intended time) and the autocannon closed loop at several
// connections × pipelining (the gateway's ceiling, measured from the actual send). Each run's
// delivery is checked end to end through Kafka. `npm run bench:http`
import { spawn } from 'node:child_process';
import { parseScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/run/index.js';

const topic = `fl-bench-gw-${Date.now().toString(36)}`;
const gateway = spawn('node', ['examples/http-gateway/server.mjs', '--topic', topic, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) =>
  gateway.stdout!.on('data', (d) => {
    const m = String(d).match(/listening on (\d+)/);
    if (m) resolve(Number(m[1]));
  }),
);

async function once(label: string, ingress: string, rate: string) {
  const yaml = `name: bench-http\ntargets:\n  kafka: { adapter: kafka, brokers: [127.0.0.1:9092], topic: { name: ${topic}, partitions: 3 } }\ningress: ${ingress}\nworkload: { producers: 1, consumers: 1, rate: ${rate}, duration: 10s, warmup: 2s, message: { size: 200B } }\ndrain: { quiet: 1s, deadline: 20s }\n`;
  const { scenario } = parseScenario(yaml, 'bench-http.yaml');
  const r = (await runScenario(scenario, { write: false })).result;
  const row = `| ${label} | ${Math.round(r.throughput.ackedPerSec).toLocaleString('en-US')} | ${r.latency.publish.p50} ms | ${r.latency.publish.p99} ms | ${r.latency.e2e.p99} ms | ${r.counts.failed + r.counts.indeterminate} | ${r.counts.lost} | ${r.counts.duplicated} |`;
  console.error(row);
  return row;
}

const url = `"http://127.0.0.1:${port}/events"`;
const rows = ['| mode | acked/s | publish p50 | publish p99 | e2e p99 | failed + indeterminate | lost | duplicated |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
try {
  for (const rate of ['500/s', '1k/s', '2k/s']) rows.push(await once(`undici open loop ${rate}`, `{ url: ${url}, connections: 64 }`, rate));
  for (const [c, p] of [
    [8, 1],
    [8, 4],
    [32, 1],
    [32, 4],
  ])
    rows.push(await once(`autocannon closed loop ${c} × ${p}`, `{ url: ${url}, engine: autocannon, connections: ${c}, pipelining: ${p} }`, '{ closed: {} }'));
} finally {
  gateway.kill('SIGTERM');
}
console.log(rows.join('\n'));
