// Engine cost on the memory adapter: closed loop as fast as possible, CPU µs per event (the
// checkers' pass over the history included) and history bytes per event on disk. `npm run bench:engine` (no services needed).
import { initHistograms, newHistogram, recordMs } from '../src/observe/histograms.js';
import { parseScenario } from '../src/scenario/load.js';
import { tuneHeapForLoad } from '../src/heap.js';
import { runScenario } from '../src/run/index.js';

tuneHeapForLoad();

const seconds = Number(process.env.SECONDS_TO_RUN ?? 5);
const { scenario } = parseScenario(
  `name: engine-bench
targets: { mem: { adapter: memory, partitions: 8 } }
workload: { producers: 2, consumers: 2, rate: { closed: { inFlight: 4000 } }, duration: ${seconds}s, batch: { size: 500 } }
drain: { quiet: 200ms }
`,
  'engine-bench.yaml',
);
// Histogram recording cost: each event is recorded in 3 histograms (publish, scheduleLag, e2e) for the
// run, its phase and its 1 s interval.
await initHistograms();
const h = newHistogram();
const N = 2_000_000;
const th = performance.now();
for (let i = 0; i < N; i++) recordMs(h, (i % 5000) / 100);
const nsPerRecord = ((performance.now() - th) * 1e6) / N;
h.destroy();

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { result } = await runScenario(scenario, { write: false });
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const events = result.counts.attempted;
console.log(
  JSON.stringify({
    events,
    delivered: result.counts.delivered,
    eventsPerSec: Math.round(events / seconds),
    cpuMicrosPerEvent: Number(((cpu.user + cpu.system) / events).toFixed(2)),
    wallSeconds: Number(wall.toFixed(1)),
    historyBytesPerEvent: result.ledger.bytesPerEvent,
    e2eP99ms: result.latency.e2e.p99,
    histogramNsPerRecord: Number(nsPerRecord.toFixed(1)),
  }),
);
