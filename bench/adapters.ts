// Per-broker baselines with faultline's own adapters (needs scripts/services.sh up):
// the max sustained rate of a 10 s closed-loop run with 200-byte events, and e2e p50/p99 at 1,000/s.
// `npm run bench:adapters` (ADAPTERS=kafka,redis to pick some).
import { parseScenario } from '../src/scenario/load.js';
import { tuneHeapForLoad } from '../src/heap.js';
import { runScenario } from '../src/run/index.js';

tuneHeapForLoad();

const TARGETS: Record<string, string> = {
  kafka: '{ adapter: kafka, brokers: [127.0.0.1:19092], topic: { partitions: 6 }, producer: { acks: all, idempotent: true } }',
  rabbitmq: '{ adapter: rabbitmq, url: "amqp://guest:guest@127.0.0.1:5673", queue: { type: classic }, publisher: { confirms: true } }',
  nats: '{ adapter: nats, servers: [127.0.0.1:14222] }',
  redis: '{ adapter: redis, port: 16379 }',
  mqtt: '{ adapter: mqtt, url: "mqtt://127.0.0.1:11883", qos: 1 }',
};

async function once(adapter: string, workload: string) {
  const { scenario } = parseScenario(`name: bench-${adapter}\ntargets:\n  t: ${TARGETS[adapter]}\nworkload: ${workload}\ndrain: { quiet: 1s, deadline: 30s }\n`, `${adapter}.yaml`);
  return (await runScenario(scenario, { write: false })).result;
}

const pick = (process.env.ADAPTERS ?? Object.keys(TARGETS).join(',')).split(',');
const rows: string[] = ['| broker | closed loop: acked/s | delivered/s | lost | e2e p50 @1k/s | e2e p99 @1k/s |', '| --- | --- | --- | --- | --- | --- |'];
for (const adapter of pick) {
  const max = await once(adapter, '{ producers: 2, consumers: 2, rate: { closed: { inFlight: 2000 } }, duration: 10s, warmup: 2s, batch: { size: 500 }, message: { size: 200B } }');
  const fixed = await once(adapter, '{ producers: 2, consumers: 2, rate: 1k/s, duration: 10s, warmup: 2s, message: { size: 200B } }');
  const row = `| ${adapter} | ${Math.round(max.throughput.ackedPerSec).toLocaleString('en-US')} | ${Math.round(max.throughput.deliveredPerSec).toLocaleString('en-US')} | ${max.counts.lost} | ${fixed.latency.e2e.p50} ms | ${fixed.latency.e2e.p99} ms |`;
  rows.push(row);
  console.error(row);
}
console.log(rows.join('\n'));
