// faultline side by side with each broker's own perf tool, in one invocation, on the same services,
// the same event sizes (200 B, 1 KiB), direct ports (no proxy). `bash bench/run.sh`.
// Prints a table per broker and writes bench/results/<date>.json. Ratios only mean something within
// one run: never compare figures from different invocations.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/run.js';

const CACHE = process.env.FAULTLINE_CACHE ?? path.join(os.homedir(), '.cache/faultline');
const kafkaLib = readdirSync(CACHE).filter((d) => d.startsWith('kafka-')).map((d) => path.join(CACHE, d, 'lib'))[0];
const natsCli = path.join(CACHE, 'bin/nats');
const amqpLib = path.join(CACHE, 'amqp-client-5.37.1');
/** BENCH_ONLY=kafka,redis runs those brokers only. */
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (broker: string) => !only || only.includes(broker);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const sizes = [200, 1024];

interface Row {
  broker: string;
  size: number;
  native: { tool: string; perSec: number | null; latency?: string; note?: string };
  faultline: { perSec: number; e2eP50?: number; e2eP99?: number };
  ratio: number | null;
}
const rows: Row[] = [];

function sh(cmd: string, args: string[], timeoutMs = 180_000): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ''}\n${e.stderr ?? ''}\n${e.message}`;
  }
}

async function faultline(target: string, size: number, workload?: string) {
  const { scenario } = parseScenario(
    `name: bench\ntargets:\n  t: ${target}\nworkload: ${workload ?? `{ producers: 2, consumers: 2, rate: { closed: { inFlight: 4000 } }, duration: ${SECONDS}s, warmup: 2s, batch: { size: 500 }, message: { size: ${size}B } }`}\ndrain: { quiet: 1s, deadline: 30s }\n`,
    'bench.yaml',
  );
  return (await runScenario(scenario, { write: false })).result;
}

const id = () => `flbench-${Date.now().toString(36)}`;

for (const size of sizes) {
  // Kafka: ProducerPerformance (the Java client) against faultline with kafkajs and with @platformatic/kafka,
  // acks=all, one partition.
  if (kafkaLib && wanted('kafka')) {
    const topic = id();
    const out = sh('java', ['-cp', `${kafkaLib}/*`, 'org.apache.kafka.tools.ProducerPerformance', '--topic', topic, '--num-records', String(size > 500 ? 300_000 : 1_000_000), '--record-size', String(size), '--throughput', '-1', '--producer-props', 'bootstrap.servers=127.0.0.1:9092', 'acks=all']);
    const m = out.match(/records sent, ([\d.]+) records\/sec.*?([\d.]+) ms avg latency.*?(\d+) ms 50th.*?(\d+) ms 99th/s);
    const native = m ? Number(m[1]) : null;
    for (const client of ['kafkajs', 'platformatic']) {
      const r = await faultline(`{ adapter: kafka, client: ${client}, brokers: [127.0.0.1:9092], topic: { partitions: 1 }, producer: { acks: all } }`, size);
      rows.push({ broker: `kafka (${client})`, size, native: { tool: 'kafka ProducerPerformance (Java client)', perSec: native, latency: m ? `publish p50 ${m[3]} ms p99 ${m[4]} ms` : undefined, ...(m ? {} : { note: out.slice(-300) }) }, faultline: { perSec: r.throughput.ackedPerSec }, ratio: native ? r.throughput.ackedPerSec / native : null });
    }
  }
  // Redis Streams: redis-benchmark XADD (pipelined) against faultline's ioredis adapter.
  if (wanted('redis')) {
    const stream = id();
    const out = sh('redis-benchmark', ['-h', '127.0.0.1', '-p', '6379', '-n', '500000', '-P', '50', '-c', '4', '-q', 'XADD', stream, 'MAXLEN', '~', '100000', '*', 'e', 'x'.repeat(size)]);
    const m = out.match(/([\d.]+) requests per second/);
    sh('redis-cli', ['-p', '6379', 'DEL', stream]);
    const r = await faultline('{ adapter: redis, port: 6379 }', size);
    const native = m ? Number(m[1]) : null;
    rows.push({ broker: 'redis', size, native: { tool: 'redis-benchmark XADD -P 50 -c 4', perSec: native, ...(m ? {} : { note: out.slice(-300) }) }, faultline: { perSec: r.throughput.ackedPerSec }, ratio: native ? r.throughput.ackedPerSec / native : null });
  }
  // NATS JetStream: `nats bench js pub async` (Go client) against faultline's Node client.
  if (existsSync(natsCli) && wanted('nats')) {
    const stream = id();
    const out = sh(natsCli, ['-s', 'nats://127.0.0.1:4222', 'bench', 'js', 'pub', 'async', `${stream}.x`, '--msgs', String(size > 500 ? 100_000 : 200_000), '--size', `${size}B`, '--create', '--purge', '--storage', 'file', '--stream', stream, '--no-progress']);
    const m = out.match(/stats: ([\d,]+) msgs\/sec.*?P50: ([\d,.]+)us.*?P99: ([\d,.]+)us/s);
    sh(natsCli, ['-s', 'nats://127.0.0.1:4222', 'stream', 'rm', stream, '-f']);
    const r = await faultline('{ adapter: nats, servers: [127.0.0.1:4222] }', size);
    const native = m ? Number(m[1].replace(/,/g, '')) : null;
    rows.push({ broker: 'nats', size, native: { tool: 'nats bench js pub async (Go client)', perSec: native, ...(m ? { latency: `publish p50 ${(Number(m[2].replace(/,/g, '')) / 1000).toFixed(2)} ms p99 ${(Number(m[3].replace(/,/g, '')) / 1000).toFixed(2)} ms` } : { note: out.slice(-300) }) }, faultline: { perSec: r.throughput.ackedPerSec }, ratio: native ? r.throughput.ackedPerSec / native : null });
  }
  // RabbitMQ: PerfTest is not served by the Maven registry this project reaches; bench/RabbitPublish.java
  // does what PerfTest does with confirms (2 producers, 500 unconfirmed each, persistent) on the Java client.
  if (wanted('rabbitmq')) {
    const queue = id();
    const out = existsSync(amqpLib) ? sh('java', ['-cp', `${amqpLib}/*`, 'bench/RabbitPublish.java', 'amqp://guest:guest@127.0.0.1:5672', queue, '2', String(size > 500 ? 50_000 : 100_000), String(size), '500']) : 'amqp-client jars missing: run bench/run.sh';
    const m = out.match(/rate (\d+)/);
    const native = m ? Number(m[1]) : null;
    const r = await faultline('{ adapter: rabbitmq, url: "amqp://guest:guest@127.0.0.1:5672", publisher: { confirms: true } }', size);
    rows.push({ broker: 'rabbitmq', size, native: { tool: 'RabbitPublish.java (PerfTest-style, Java client, confirms)', perSec: native, ...(m ? {} : { note: out.slice(-300) }) }, faultline: { perSec: r.throughput.ackedPerSec }, ratio: native ? r.throughput.ackedPerSec / native : null });
  }
  // MQTT: no benchmark tool installs from the registries this project reaches (Mosquitto ships none).
  if (wanted('mqtt')) {
    const q = await faultline('{ adapter: mqtt, url: "mqtt://127.0.0.1:1883", qos: 1 }', size);
    rows.push({ broker: 'mqtt', size, native: { tool: '-', perSec: null, note: 'no MQTT benchmark tool in the registries' }, faultline: { perSec: q.throughput.ackedPerSec }, ratio: null });
  }
}

// End-to-end latency at a low fixed rate: Kafka's EndToEndLatency (one message at a time) vs faultline at 500/s.
let e2e: Record<string, unknown> | undefined;
if (kafkaLib && wanted('kafka')) {
  const topic = id();
  sh('java', ['-cp', `${kafkaLib}/*`, 'org.apache.kafka.tools.ProducerPerformance', '--topic', topic, '--num-records', '1', '--record-size', '200', '--throughput', '-1', '--producer-props', 'bootstrap.servers=127.0.0.1:9092']);
  const out = sh('java', ['-cp', `${kafkaLib}/*`, 'org.apache.kafka.tools.EndToEndLatency', '127.0.0.1:9092', topic, '5000', 'all', '200']);
  const avg = out.match(/Avg latency: ([\d.]+) ms/)?.[1];
  const pct = out.match(/Percentiles: 50th = ([\d.]+), 99th = ([\d.]+), 99.9th = ([\d.]+)/);
  const r = await faultline('{ adapter: kafka, brokers: [127.0.0.1:9092], topic: { partitions: 1 }, producer: { acks: all } }', 200, `{ producers: 1, consumers: 1, rate: 500/s, duration: ${SECONDS}s, warmup: 2s, message: { size: 200B } }`);
  e2e = { native: { tool: 'kafka EndToEndLatency (1 in flight)', avgMs: avg ? Number(avg) : null, p50Ms: pct ? Number(pct[1]) : null, p99Ms: pct ? Number(pct[2]) : null }, faultline: { rate: 500, p50Ms: r.latency.e2e.p50, p99Ms: r.latency.e2e.p99 } };
}

const fmt = (n: number | null) => (n === null ? '-' : Math.round(n).toLocaleString('en-US'));
const lines = ['| broker | size | native tool | native events/s | faultline acked/s | ratio |', '| --- | --- | --- | --- | --- | --- |'];
for (const r of rows) lines.push(`| ${r.broker} | ${r.size} B | ${r.native.tool}${r.native.note ? ` (${r.native.note})` : ''} | ${fmt(r.native.perSec)} | ${fmt(r.faultline.perSec)} | ${r.ratio === null ? '-' : r.ratio.toFixed(2)} |`);
if (e2e) lines.push('', `Kafka end-to-end latency: ${JSON.stringify(e2e)}`);
console.log(lines.join('\n'));
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(`${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`, dir);
writeFileSync(file, JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, seconds: SECONDS, rows, e2e }, null, 2));
console.log(`\nwrote ${file.pathname}`);
