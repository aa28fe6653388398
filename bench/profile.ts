// Where one worker's JavaScript thread spends its time, per delivered event. `npm run bench:profile [redis|nats|kafka]`.
// Runs the same closed loop as bench/workers.ts (one process) under `node --cpu-prof`, then sums the
// profile's self time by where the code lives: faultline's own modules, each dependency, Node's
// internals, the garbage collector, idle. Prints µs per delivered event for each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const broker = process.argv[2] ?? 'redis';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const TARGETS: Record<string, string> = {
  redis: '{ adapter: redis, port: 6379 }',
  nats: '{ adapter: nats, servers: [127.0.0.1:4222] }',
  kafka: '{ adapter: kafka, client: platformatic, brokers: [127.0.0.1:9092], topic: { partitions: 6 }, producer: { acks: all } }',
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The bucket a frame's self time counts to. */
function bucket(fn: string, url: string): string {
  if (fn === '(garbage collector)' || fn === '(idle)' || fn === '(program)') return fn;
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1] === 'tsx' ? 'tsx (module loading)' : dep[1];
  const own = /\/src\/([^?]+)/.exec(url);
  if (own) return `faultline ${own[1].replace(/\.ts$/, '')}`;
  if (url.startsWith('wasm://')) return 'wasm (hdr-histogram-js)';
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/')[0]}`;
  if (url === '' && fn) return 'native (V8 builtins, wasm)';
  return url || '(native)';
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-profile-'));
const file = path.join(dir, 'bench.yaml');
writeFileSync(
  file,
  `name: profile-${broker}\ntargets:\n  t: ${TARGETS[broker]}\nworkload: { producers: 2, consumers: 2, rate: { closed: { inFlight: 4000 } }, duration: ${SECONDS}s, warmup: 2s, batch: { size: 500 }, message: { size: 200B } }\ndrain: { quiet: 1s, deadline: 30s }\nreport: { out: ${JSON.stringify(dir)} }\n`,
);
const out = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, path.join(ROOT, 'bin/faultline.js'), 'run', file, '--json', '--quiet'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
const result = JSON.parse(out.stdout) as { counts: { delivered: number; attempted: number; lost: number }; throughput: { deliveredPerSec: number } };
const profile = JSON.parse(
  readFileSync(
    path.join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!,
    ),
    'utf8',
  ),
) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const n = byId.get(id)!;
  const b = bucket(n.callFrame.functionName, n.callFrame.url);
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(b, (self.get(b) ?? 0) + dt);
  total += dt;
});
const events = result.counts.delivered;
const busy = total - (self.get('(idle)') ?? 0);
console.log(`${broker}: ${events} delivered (${result.throughput.deliveredPerSec}/s), lost ${result.counts.lost}; profile ${(total / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s = ${(busy / events).toFixed(2)} µs per delivered event`);
console.log('| where | share of busy | µs / event |\n| --- | --- | --- |');
for (const [b, us] of [...self]
  .filter(([b]) => b !== '(idle)')
  .sort((x, y) => y[1] - x[1])
  .slice(0, 16)) {
  console.log(`| ${b} | ${((100 * us) / busy).toFixed(1)} % | ${(us / events).toFixed(2)} |`);
}
console.log(`profile: ${dir}`);
