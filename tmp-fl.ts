import { parseScenario } from './src/scenario/load.js';
import { runScenario } from './src/run.js';
const target = process.argv[2]; const size = Number(process.argv[3] ?? 200); const subs = process.argv[4] ?? '';
const { scenario } = parseScenario(`name: bench\ntargets:\n  t: ${target}\nworkload: { producers: 2, consumers: 2, rate: { closed: { inFlight: ${process.env.INF ?? 4000} } }, duration: 8s, warmup: 2s, batch: { size: ${process.env.B ?? 500} }, message: { size: ${size}B } }\n${subs}drain: { quiet: 1s, deadline: 30s }\n`, 'bench.yaml');
const t0 = process.cpuUsage();
const r = (await runScenario(scenario, { write: false })).result;
const c = process.cpuUsage(t0);
console.log(target, 'acked/s', Math.round(r.throughput.ackedPerSec), 'delivered/s', Math.round(r.throughput.deliveredPerSec ?? 0), 'lost', r.counts.lost, 'cpu s', ((c.user + c.system) / 1e6).toFixed(1), 'publish p50', r.latency.publish.p50);
