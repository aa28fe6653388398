// Memory per event and over time, on the memory adapter (no services needed). `npm run bench:memory`.
//   tsx --expose-gc bench/memory.ts                 RSS growth for 1 M and 10 M events (target ≤ 16 B/event)
//   tsx --expose-gc bench/memory.ts soak 30m 2000   a long run at 2,000 events/s: RSS every 10 s, and its
//                                                   growth beyond the drain's index (1 byte per event and subscription, by design)
// Writes bench/results/memory-<date>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseScenario } from '../src/scenario/load.js';
import { tuneHeapForLoad } from '../src/heap.js';
import { runScenario } from '../src/run/index.js';
import { parseDuration } from '../src/units.js';

tuneHeapForLoad(); // as the CLI runs
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const MiB = 2 ** 20;

function scenarioFor(workload: string) {
  return parseScenario(`name: memory-bench\ntargets: { mem: { adapter: memory, partitions: 8 } }\nworkload: ${workload}\ndrain: { quiet: 200ms }\n`, 'memory-bench.yaml').scenario;
}

async function settledRss(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().rss;
}

/** Runs closed loop until about `events` events, sampling RSS; growth is the peak over the settled start. */
async function perEvent(events: number) {
  const rate = 400_000; // below the engine's closed-loop ceiling on this machine, so the count is met
  const seconds = Math.ceil(events / rate);
  const scenario = scenarioFor(`{ producers: 2, consumers: 2, rate: ${rate}/s, duration: ${seconds}s, batch: { size: 500, linger: 5ms } }`);
  const rss0 = await settledRss();
  let peak = rss0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const { result } = await runScenario(scenario, { write: false });
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const n = result.counts.attempted;
  return { events: n, delivered: result.counts.delivered, lost: result.counts.lost, rssStartMiB: +(rss0 / MiB).toFixed(1), rssPeakMiB: +(peak / MiB).toFixed(1), rssGrowthBytesPerEvent: +((peak - rss0) / n).toFixed(2), historyBytesPerEvent: result.ledger.bytesPerEvent };
}

async function soak(duration: number, rate: number) {
  const scenario = scenarioFor(`{ producers: 2, consumers: 2, rate: ${rate}/s, duration: ${duration / 1000}s }`);
  const samples: { s: number; rssMiB: number; heapMiB: number }[] = [];
  const t0 = Date.now();
  const sample = () => {
    const m = process.memoryUsage();
    samples.push({ s: Math.round((Date.now() - t0) / 1000), rssMiB: +(m.rss / MiB).toFixed(1), heapMiB: +(m.heapUsed / MiB).toFixed(1) });
  };
  const timer = setInterval(sample, 10_000);
  const { result } = await runScenario(scenario, { write: false });
  clearInterval(timer);
  // Compare the second minute with the end: the drain's index grows by 1 byte per event sent in between (the history is on disk).
  const from = samples.find((x) => x.s >= 60) ?? samples[0]!;
  const to = samples.at(-1)!;
  const events = (to.s - from.s) * rate;
  const ledgerMiB = events / MiB;
  return { duration: duration / 1000, rate, events: result.counts.attempted, lost: result.counts.lost, from, to, rssGrowthMiB: +(to.rssMiB - from.rssMiB).toFixed(1), ledgerGrowthMiB: +ledgerMiB.toFixed(1), growthBeyondLedgerMiB: +(to.rssMiB - from.rssMiB - ledgerMiB).toFixed(1), samples };
}

const [mode, arg1, arg2] = process.argv.slice(2);
let out: Record<string, unknown>;
if (mode === 'soak') {
  out = { soak: await soak(parseDuration(arg1 ?? '30m')!, Number(arg2 ?? 2000)) };
  const s = out.soak as Awaited<ReturnType<typeof soak>>;
  console.log(
    `soak ${s.duration} s at ${s.rate}/s: ${s.events.toLocaleString('en-US')} events, lost ${s.lost}; RSS ${s.from.rssMiB} MiB at ${s.from.s} s → ${s.to.rssMiB} MiB at ${s.to.s} s (+${s.rssGrowthMiB} MiB; the drain index's share ${s.ledgerGrowthMiB} MiB; beyond it ${s.growthBeyondLedgerMiB} MiB)`,
  );
} else {
  await perEvent(200_000); // load and warm everything first
  const rows = [await perEvent(1_000_000), await perEvent(10_000_000)];
  // Peak growth holds a fixed part (V8 heap headroom under a high allocation rate, buffers, histograms);
  // the slope between the two runs is what each further event costs.
  const [a, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
  const marginal = +(((b.rssPeakMiB - b.rssStartMiB - (a.rssPeakMiB - a.rssStartMiB)) * MiB) / (b.events - a.events)).toFixed(2);
  out = { perEvent: rows, marginalBytesPerEvent: marginal };
  for (const r of rows) console.log(`${r.events.toLocaleString('en-US')} events: RSS ${r.rssStartMiB} → ${r.rssPeakMiB} MiB, ${r.rssGrowthBytesPerEvent} bytes/event (history on disk ${r.historyBytesPerEvent}), lost ${r.lost}`);
  console.log(`each further event: ${marginal} bytes (slope between the two runs)`);
}
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(`memory-${mode === 'soak' ? 'soak-' : ''}${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`, dir);
writeFileSync(file, JSON.stringify({ node: process.version, ...out }, null, 2));
console.log(`wrote ${file.pathname}`);
