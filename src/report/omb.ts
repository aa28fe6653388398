// OpenMessaging Benchmark's result JSON (TestResult field names), so OMB's chart scripts work on our
// runs. Latencies in ms as OMB writes them; publishDelay (OMB's name for schedule lag) in µs. Per-second
// quantiles faultline does not keep (avg, 75th, 95th, 99.99th, 99.999th) are null.
import { decodeHistogram, initHistograms } from '../observe/histograms.js';
import type { RunResult } from '../result.js';

const QUANTILES = [50, 75, 95, 99, 99.9, 99.99, 99.999];

export async function renderOmb(r: RunResult): Promise<Record<string, unknown>> {
  await initHistograms();
  const scenario = r.scenario as { name?: string; workload?: { producers?: number; consumers?: number; message?: { size?: number | { max: number } } } };
  const target = r.target as { topic?: { partitions?: number }; partitions?: number };
  const size = scenario.workload?.message?.size;
  const out: Record<string, unknown> = {
    workload: scenario.name ?? r.runId,
    driver: r.target.adapter,
    messageSize: typeof size === 'number' ? size : (size?.max ?? 0),
    topics: 1,
    partitions: target.topic?.partitions ?? target.partitions ?? 1,
    producersPerTopic: scenario.workload?.producers ?? 1,
    consumersPerTopic: scenario.workload?.consumers ?? 1,
    publishRate: r.intervals.map((iv) => iv.acked),
    publishErrorRate: r.intervals.map((iv) => iv.failed + iv.indeterminate),
    consumeRate: r.intervals.map((iv) => iv.delivered),
    backlog: (() => {
      let backlog = 0;
      return r.intervals.map((iv) => (backlog = Math.max(0, backlog + iv.acked - iv.delivered)));
    })(),
  };
  const none = r.intervals.map(() => null);
  Object.assign(out, {
    publishLatencyAvg: none,
    publishLatency50pct: r.intervals.map((iv) => iv.publish.p50),
    publishLatency75pct: none,
    publishLatency95pct: none,
    publishLatency99pct: r.intervals.map((iv) => iv.publish.p99),
    publishLatency999pct: none,
    publishLatency9999pct: none,
    publishLatency99999pct: none,
    publishLatencyMax: r.intervals.map((iv) => iv.publish.max),
    endToEndLatencyAvg: none,
    endToEndLatency50pct: r.intervals.map((iv) => iv.e2e.p50),
    endToEndLatency75pct: none,
    endToEndLatency95pct: none,
    endToEndLatency99pct: r.intervals.map((iv) => iv.e2e.p99),
    endToEndLatency999pct: r.intervals.map((iv) => iv.e2e.p999),
    endToEndLatency9999pct: none,
    endToEndLatency99999pct: none,
    endToEndLatencyMax: r.intervals.map((iv) => iv.e2e.max),
  });
  const names: [string, keyof RunResult['histograms'], number][] = [
    ['PublishLatency', 'publish', 1 / 1000],
    ['EndToEndLatency', 'e2e', 1 / 1000],
    ['PublishDelayLatency', 'scheduleLag', 1],
  ];
  for (const [name, key, scale] of names) {
    const h = decodeHistogram(r.histograms[key]);
    const v = (x: number) => (name === 'PublishDelayLatency' ? Math.round(x * scale) : x * scale);
    out[`aggregated${name}Avg`] = h.totalCount ? h.mean * scale : 0;
    for (const q of QUANTILES) out[`aggregated${name}${String(q).replace('.', '')}pct`] = v(h.getValueAtPercentile(q));
    out[`aggregated${name}Max`] = v(h.maxValue);
    out[`aggregated${name}Quantiles`] = Object.fromEntries([...QUANTILES, 100].map((q) => [q, v(h.getValueAtPercentile(q))]));
    h.destroy();
  }
  return out;
}
