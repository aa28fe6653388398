// End to end with 1 and 2 worker processes (`faultline run --workers N`), beside each broker's own
// tools where they have an end-to-end mode, in one invocation on the same services. `npm run bench:workers`
// (after `bash bench/run.sh` has installed natscli, or with BENCH_ONLY=redis,kafka).
// faultline: 2 producers, one subscription of 2 consumers, closed loop with 4,000 events in flight,
// 200 B events, BENCH_SECONDS (8) after a 2 s warmup, direct ports. Writes bench/results/workers-<date>.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sh } from './sh.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CACHE = process.env.FAULTLINE_CACHE ?? path.join(os.homedir(), '.cache/faultline');
const kafkaLib = readdirSync(CACHE)
  .filter((d) => d.startsWith('kafka-'))
  .map((d) => path.join(CACHE, d, 'lib'))[0];
const natsCli = path.join(CACHE, 'bin/nats');
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (b: string) => !only || only.includes(b);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SIZE = 200;

const TARGETS: Record<string, string> = {
  redis: '{ adapter: redis, port: 6379 }',
  nats: '{ adapter: nats, servers: [127.0.0.1:4222] }',
  kafka: '{ adapter: kafka, client: platformatic, brokers: [127.0.0.1:9092], topic: { partitions: 6 }, producer: { acks: all } }',
};

interface Row {
  broker: string;
  native: { tool: string; perSec: number | null; note?: string };
  workers: Record<string, { deliveredPerSec: number; lost: number; e2eP99: number }>;
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/faultline.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => resolve(out));
  });
}

async function faultline(broker: string, workers: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-bench-workers-'));
  const file = path.join(dir, 'bench.yaml');
  writeFileSync(
    file,
    `name: bench-${broker}\ntargets:\n  t: ${TARGETS[broker]}\nworkload: { producers: 2, consumers: 2, rate: { closed: { inFlight: 4000 } }, duration: ${SECONDS}s, warmup: 2s, batch: { size: 500 }, message: { size: ${SIZE}B } }\ndrain: { quiet: 1s, deadline: 30s }\nreport: { out: ${JSON.stringify(dir)} }\n`,
  );
  const r = JSON.parse(await run(['run', file, '--json', '--quiet', ...(workers > 1 ? ['--workers', String(workers)] : [])])) as { throughput: { deliveredPerSec: number }; counts: { lost: number }; latency: { e2e: { p99: number } } };
  return { deliveredPerSec: r.throughput.deliveredPerSec, lost: r.counts.lost, e2eP99: r.latency.e2e.p99 };
}

/** Kafka: ProducerPerformance and ConsumerPerformance (the Java clients) at the same time, acks=all, 6 partitions. */
async function kafkaNative(): Promise<Row['native']> {
  const tool = 'kafka ProducerPerformance + ConsumerPerformance at once (Java clients)';
  const topic = `flbench-${Date.now().toString(36)}`;
  const cp = `${kafkaLib}/*`;
  sh('java', ['-cp', cp, 'org.apache.kafka.tools.TopicCommand', '--bootstrap-server', '127.0.0.1:9092', '--create', '--topic', topic, '--partitions', '6', '--replication-factor', '1']);
  const n = 2_000_000;
  const consumer = spawn('java', ['-cp', cp, 'org.apache.kafka.tools.ConsumerPerformance', '--bootstrap-server', '127.0.0.1:9092', '--topic', topic, '--num-records', String(n), '--timeout', '120000', '--hide-header'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  consumer.stdout.on('data', (d) => (out += d));
  const done = new Promise<void>((r) => consumer.on('close', () => r()));
  sh('java', ['-cp', cp, 'org.apache.kafka.tools.ProducerPerformance', '--topic', topic, '--num-records', String(n), '--record-size', String(SIZE), '--throughput', '-1', '--producer-props', 'bootstrap.servers=127.0.0.1:9092', 'acks=all']);
  await done;
  sh('java', ['-cp', cp, 'org.apache.kafka.tools.TopicCommand', '--bootstrap-server', '127.0.0.1:9092', '--delete', '--topic', topic]);
  // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const cols =
    out
      .trim()
      .split('\n')
      .at(-1)
      ?.split(',')
      .map((c) => c.trim()) ?? [];
  return cols.length >= 10 ? { tool, perSec: Number(cols[9]) } : { tool, perSec: null, note: out.slice(-300) };
}

const rows: Row[] = [];
for (const broker of ['redis', 'nats', 'kafka']) {
  if (!wanted(broker)) continue;
  let native: Row['native'];
  if (broker === 'kafka' && kafkaLib) native = await kafkaNative();
  else if (broker === 'nats' && existsSync(natsCli)) {
    const stream = `flbench${Date.now().toString(36)}`;
    sh(natsCli, ['-s', 'nats://127.0.0.1:4222', 'stream', 'add', stream, '--subjects', `${stream}.>`, '--storage', 'file', '--defaults']);
    const sub = spawn(natsCli, ['-s', 'nats://127.0.0.1:4222', 'bench', 'js', 'consume', '--stream', stream, '--msgs', '500000', '--no-progress'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    sub.stdout.on('data', (d) => (out += d));
    sub.stderr.on('data', (d) => (out += d));
    const done = new Promise<void>((r) => sub.on('close', () => r()));
    sh(natsCli, ['-s', 'nats://127.0.0.1:4222', 'bench', 'js', 'pub', 'async', `${stream}.x`, '--msgs', '500000', '--size', `${SIZE}B`, '--stream', stream, '--no-progress']);
    await done;
    sh(natsCli, ['-s', 'nats://127.0.0.1:4222', 'stream', 'rm', stream, '-f']);
    const m = out.match(/stats: ([\d,]+) msgs\/sec/);
    native = { tool: 'nats bench js pub async + js consume at once (Go client)', perSec: m ? Number(m[1].replace(/,/g, '')) : null, ...(m ? {} : { note: out.slice(-300) }) };
  } else native = { tool: broker === 'redis' ? 'redis-benchmark has no consume mode' : 'not installed', perSec: null };
  const workers: Row['workers'] = {};
  for (const n of [1, 2]) workers[n] = await faultline(broker, n);
  rows.push({ broker, native, workers });
  console.error(`[bench] ${broker}: native e2e ${native.perSec ?? '-'}/s; faultline 1 worker ${workers[1].deliveredPerSec}/s, 2 workers ${workers[2].deliveredPerSec}/s`);
}

const fmt = (v: number | null) => (v === null ? '-' : Math.round(v).toLocaleString('en-US'));
const lines = ['| broker | native end to end | events/s | faultline 1 worker | 2 workers | 2 / 1 | 2 workers / native |', '| --- | --- | --- | --- | --- | --- | --- |'];
for (const r of rows) {
  const one = r.workers[1].deliveredPerSec;
  const two = r.workers[2].deliveredPerSec;
  lines.push(`| ${r.broker} | ${r.native.tool} | ${fmt(r.native.perSec)} | ${fmt(one)} | ${fmt(two)} | ${(two / one).toFixed(2)} | ${r.native.perSec ? (two / r.native.perSec).toFixed(2) : '-'} |`);
}
console.log(lines.join('\n'));
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
const file = path.join(ROOT, `bench/results/workers-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`);
writeFileSync(file, JSON.stringify({ seconds: SECONDS, size: SIZE, cpus: os.cpus().length, node: process.version, rows }, null, 2));
console.log(`wrote ${file}`);
