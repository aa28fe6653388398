// faultline side by side with each broker's own perf tool, in one invocation, on the same services,
// the same event sizes (200 B, 1 KiB), direct ports (no proxy). `bash bench/run.sh`.
// faultline runs twice per broker and size: publish-only (workload.subscriptions 0, what the native
// tools do) and end to end (2 consumers too, every event tracked to its delivery). Prints the table and
// writes bench/results/<date>.json. Ratios only mean something within one run: never compare figures
// from different invocations.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sh } from './sh.js';
import { parseScenario } from '../src/scenario/load.js';
import { tuneHeapForLoad } from '../src/heap.js';
import { runScenario } from '../src/run/index.js';

tuneHeapForLoad();

const CACHE = process.env.FAULTLINE_CACHE ?? path.join(os.homedir(), '.cache/faultline');
const kafkaLib = readdirSync(CACHE)
  .filter((d) => d.startsWith('kafka-'))
  .map((d) => path.join(CACHE, d, 'lib'))[0];
const natsCli = path.join(CACHE, 'bin/nats');
const amqpLib = path.join(CACHE, 'amqp-client-5.37.1');
/** BENCH_ONLY=kafka,redis runs those brokers only. */
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (broker: string) => !only || only.includes(broker);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const sizes = [200, 1024];

interface Native {
  tool: string;
  perSec: number | null;
  latency?: string;
  note?: string;
}
interface Row {
  broker: string;
  size: number;
  native: Native;
  faultline: { publishOnly: number; endToEnd: number; lost: number; publishP99: number; e2eP99: number };
  ratio: { publishOnly: number | null; endToEnd: number | null };
}
const rows: Row[] = [];

async function faultline(target: string, size: number, workload: string) {
  const { scenario } = parseScenario(`name: bench\ntargets:\n  t: ${target}\nworkload: ${workload}\ndrain: { quiet: 1s, deadline: 30s }\n`, 'bench.yaml');
  return (await runScenario(scenario, { write: false })).result;
}

const closedLoop = (size: number, subscriptions: number) => `{ producers: 2, consumers: 2, subscriptions: ${subscriptions}, rate: { closed: { inFlight: 4000 } }, duration: ${SECONDS}s, warmup: 2s, batch: { size: 500 }, message: { size: ${size}B } }`;

/** faultline publish-only and end to end on `target`, beside the native figure. */
async function compare(broker: string, size: number, target: string, native: Native): Promise<void> {
  const pub = await faultline(target, size, closedLoop(size, 0));
  const e2e = await faultline(target, size, closedLoop(size, 1));
  const ratio = (v: number) => (native.perSec ? v / native.perSec : null);
  const row: Row = {
    broker,
    size,
    native,
    faultline: { publishOnly: pub.throughput.ackedPerSec, endToEnd: e2e.throughput.deliveredPerSec, lost: e2e.counts.lost, publishP99: pub.latency.publish.p99, e2eP99: e2e.latency.e2e.p99 },
    ratio: { publishOnly: ratio(pub.throughput.ackedPerSec), endToEnd: ratio(e2e.throughput.deliveredPerSec) },
  };
  rows.push(row);
  console.error(`[bench] ${broker} ${size} B: native ${native.perSec ?? '-'}/s, faultline publish-only ${Math.round(row.faultline.publishOnly)}/s, end to end ${Math.round(row.faultline.endToEnd)}/s`);
}

const id = () => `flbench-${Date.now().toString(36)}`;

for (const size of sizes) {
  // Kafka: ProducerPerformance (the Java client) against faultline with kafkajs and with
  // @platformatic/kafka, acks=all, one partition.
  if (kafkaLib && wanted('kafka')) {
    const topic = id();
    const out = sh('java', ['-cp', `${kafkaLib}/*`, 'org.apache.kafka.tools.ProducerPerformance', '--topic', topic, '--num-records', String(size > 500 ? 300_000 : 1_000_000), '--record-size', String(size), '--throughput', '-1', '--producer-props', 'bootstrap.servers=127.0.0.1:9092', 'acks=all']);
    const m = out.match(/records sent, ([\d.]+) records\/sec.*?([\d.]+) ms avg latency.*?(\d+) ms 50th.*?(\d+) ms 99th/s);
    const native: Native = { tool: 'kafka ProducerPerformance (Java client), acks=all', perSec: m ? Number(m[1]) : null, ...(m ? { latency: `publish p50 ${m[3]} ms p99 ${m[4]} ms` } : { note: out.slice(-300) }) };
    for (const client of ['kafkajs', 'platformatic']) await compare(`kafka (${client})`, size, `{ adapter: kafka, client: ${client}, brokers: [127.0.0.1:9092], topic: { partitions: 1 }, producer: { acks: all } }`, native);
  }
  // Redis Streams: redis-benchmark XADD (pipelined) against faultline's ioredis adapter.
  if (wanted('redis')) {
    const stream = id();
    const out = sh('redis-benchmark', ['-h', '127.0.0.1', '-p', '6379', '-n', '500000', '-P', '50', '-c', '4', '-q', 'XADD', stream, 'MAXLEN', '~', '100000', '*', 'e', 'x'.repeat(size)]);
    const m = out.match(/([\d.]+) requests per second/);
    sh('redis-cli', ['-p', '6379', 'DEL', stream]);
    await compare('redis', size, '{ adapter: redis, port: 6379 }', { tool: 'redis-benchmark XADD -P 50 -c 4', perSec: m ? Number(m[1]) : null, ...(m ? {} : { note: out.slice(-300) }) });
  }
  // NATS JetStream: `nats bench js pub async` (Go client) against faultline's Node client.
  if (existsSync(natsCli) && wanted('nats')) {
    const stream = id();
    const out = sh(natsCli, ['-s', 'nats://127.0.0.1:4222', 'bench', 'js', 'pub', 'async', `${stream}.x`, '--msgs', String(size > 500 ? 100_000 : 200_000), '--size', `${size}B`, '--create', '--purge', '--storage', 'file', '--stream', stream, '--no-progress']);
    const m = out.match(/stats: ([\d,]+) msgs\/sec.*?P50: ([\d,.]+)us.*?P99: ([\d,.]+)us/s);
    sh(natsCli, ['-s', 'nats://127.0.0.1:4222', 'stream', 'rm', stream, '-f']);
    const us = (s: string) => (Number(s.replace(/,/g, '')) / 1000).toFixed(2);
    await compare('nats', size, '{ adapter: nats, servers: [127.0.0.1:4222] }', { tool: 'nats bench js pub async (Go client)', perSec: m ? Number(m[1].replace(/,/g, '')) : null, ...(m ? { latency: `publish p50 ${us(m[2])} ms p99 ${us(m[3])} ms` } : { note: out.slice(-300) }) });
  }
  // RabbitMQ: PerfTest is not served by the Maven registry this project reaches; bench/RabbitPublish.java
  // does what PerfTest does with confirms (2 producers, 500 unconfirmed each, persistent) on the Java client.
  if (wanted('rabbitmq')) {
    const out = existsSync(amqpLib) ? sh('java', ['-cp', `${amqpLib}/*`, 'bench/RabbitPublish.java', 'amqp://guest:guest@127.0.0.1:5672', id(), '2', String(size > 500 ? 50_000 : 100_000), String(size), '500']) : 'amqp-client jars missing: run bench/run.sh';
    const m = out.match(/rate (\d+)/);
    await compare('rabbitmq', size, '{ adapter: rabbitmq, url: "amqp://guest:guest@127.0.0.1:5672", publisher: { confirms: true } }', { tool: 'RabbitPublish.java (PerfTest-style, Java client), confirms', perSec: m ? Number(m[1]) : null, ...(m ? {} : { note: out.slice(-300) }) });
  }
  // MQTT: no benchmark tool installs from the registries this project reaches (Mosquitto ships none).
  if (wanted('mqtt')) await compare('mqtt', size, '{ adapter: mqtt, url: "mqtt://127.0.0.1:1883", qos: 1 }', { tool: '-', perSec: null, note: 'no MQTT benchmark tool in the registries' });
}

// End-to-end latency at a low fixed rate: Kafka's EndToEndLatency (one message at a time) vs faultline at 500/s.
let e2e: Record<string, unknown> | undefined;
if (kafkaLib && wanted('kafka')) {
  const topic = id();
  sh('java', ['-cp', `${kafkaLib}/*`, 'org.apache.kafka.tools.ProducerPerformance', '--topic', topic, '--num-records', '1', '--record-size', '200', '--throughput', '-1', '--producer-props', 'bootstrap.servers=127.0.0.1:9092']);
  const out = sh('java', ['-cp', `${kafkaLib}/*`, 'org.apache.kafka.tools.EndToEndLatency', '127.0.0.1:9092', topic, '5000', 'all', '200']);
  const avg = out.match(/Avg latency: ([\d.]+) ms/)?.[1];
  const pct = out.match(/Percentiles: 50th = ([\d.]+), 99th = ([\d.]+), 99.9th = ([\d.]+)/);
  const at500 = `{ producers: 1, consumers: 1, rate: 500/s, duration: ${SECONDS}s, warmup: 2s, message: { size: 200B } }`;
  const faultlineAt500: Record<string, { p50Ms: number; p99Ms: number }> = {};
  for (const client of ['kafkajs', 'platformatic']) {
    const r = await faultline(`{ adapter: kafka, client: ${client}, brokers: [127.0.0.1:9092], topic: { partitions: 1 }, producer: { acks: all } }`, 200, at500);
    faultlineAt500[client] = { p50Ms: r.latency.e2e.p50, p99Ms: r.latency.e2e.p99 };
  }
  e2e = { native: { tool: 'kafka EndToEndLatency (1 in flight)', avgMs: avg ? Number(avg) : null, p50Ms: pct ? Number(pct[1]) : null, p99Ms: pct ? Number(pct[2]) : null }, faultline: { rate: 500, ...faultlineAt500 } };
}

const fmt = (n: number | null) => (n === null ? '-' : Math.round(n).toLocaleString('en-US'));
const ratio = (r: number | null) => (r === null ? '-' : r.toFixed(2));
const lines = ['| broker | size | native tool | native events/s | faultline publish-only acked/s | ratio | faultline end to end delivered/s | ratio |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
for (const r of rows)
  lines.push(
    `| ${r.broker} | ${r.size} B | ${r.native.tool}${r.native.note ? ` (${r.native.note})` : ''} | ${fmt(r.native.perSec)} | ${fmt(r.faultline.publishOnly)} | ${ratio(r.ratio.publishOnly)} | ${fmt(r.faultline.endToEnd)}${r.faultline.lost ? ` (lost ${r.faultline.lost})` : ''} | ${ratio(r.ratio.endToEnd)} |`,
  );
if (e2e) lines.push('', `Kafka end-to-end latency: ${JSON.stringify(e2e)}`);
console.log(lines.join('\n'));
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(`${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`, dir);
writeFileSync(file, JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, seconds: SECONDS, rows, e2e }, null, 2));
console.log(`\nwrote ${file.pathname}`);
