// Live metrics: /metrics scraped in the middle of a memory run parses as Prometheus's text format, and
// scraped after the run its counters equal result.json's (a broker that drops and duplicates, so the
// counts being compared are not all zero). The same run also pushes OTLP/HTTP to a local receiver,
// whose last push must say the same.
// @ts-expect-error: the parser ships no types
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../run/index.js';
import { scenarioSchema } from '../scenario/schema.js';
import { LiveState } from './live.js';
import { OtlpPusher } from './otlp.js';
import { PrometheusExporter } from './prometheus.js';

interface Family {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }[];
}
const parse = (text: string) => new Map((parsePrometheusTextFormat(text) as Family[]).map((f) => [f.name, f]));
const value = (m: Map<string, Family>, name: string) => Number(m.get(name)?.metrics[0]?.value);

const live = new LiveState();
const exporter = new PrometheusExporter(live);
// An OTLP/HTTP receiver: every push's JSON body
const pushes: {
  resourceMetrics: { scopeMetrics: { metrics: { name: string; sum?: { dataPoints: { asDouble?: number; asInt?: string }[] }; exponentialHistogram?: { dataPoints: { count: string | number; scale: number; positive: { offset?: number; bucketCounts: (string | number)[] } }[] } }[] }[] }[];
}[] = [];
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    pushes.push(JSON.parse(body));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
afterAll(async () => {
  await exporter.close();
  receiver.close();
});

/** Prometheus's histogram_quantile: the bucket that holds rank q·count, and linear interpolation inside it. */
function histogramQuantile(q: number, buckets: Record<string, string>): number {
  const bs = Object.entries(buckets)
    .map(([le, c]) => [le === '+Inf' ? Infinity : Number(le), Number(c)] as const)
    .sort((a, b) => a[0] - b[0]);
  const rank = q * bs[bs.length - 1][1];
  const i = bs.findIndex(([, c]) => c >= rank);
  if (bs[i][0] === Infinity) return bs[bs.length - 2][0];
  const [lowerLe, lowerCount] = i > 0 ? bs[i - 1] : [0, 0];
  return lowerLe + ((bs[i][0] - lowerLe) * (rank - lowerCount)) / (bs[i][1] - lowerCount);
}

describe('--metrics prometheus', () => {
  it('a scrape mid-run parses; after the run its counters, and the last OTLP push, equal result.json', async () => {
    const url = await exporter.listen(0);
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const pusher = new OtlpPusher(live, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/metrics`, 500);
    let mid: Promise<string> | undefined;
    const { result } = await runScenario(
      scenarioSchema.parse({
        name: 'scraped',
        seed: 5,
        targets: { m: { adapter: 'memory', drop: '1%', duplicate: '2%' } },
        workload: { consumers: 2, rate: '1k/s', duration: '4s', warmup: '1s' },
        faults: [{ at: '1s', for: '2s', consumer: { pause: 0 } }],
        drain: { quiet: '300ms', deadline: '1s' },
      }),
      { write: false, metrics: live, onProgress: (p) => void (p.elapsedMs >= 2500 && (mid ??= fetch(url).then((r) => r.text()))) },
    );
    const during = parse(await mid!);
    expect(during.get('faultline_events_attempted_total')?.type).toBe('COUNTER');
    expect(value(during, 'faultline_events_attempted_total')).toBeGreaterThan(1000);
    expect(value(during, 'faultline_events_attempted_total')).toBeLessThan(result.counts.attempted);
    // the pause of member 0 (2 s to 4 s of the load) was on when scraped at the 3 s tick, mid-window
    // (a tick may fire a moment early, so the scrape waits for 2.5 s, not 3: a 2.99 s tick would
    // leave the scrape to the 4 s one, the heal's moment)
    expect(during.get('faultline_fault_active')?.metrics[0]).toMatchObject({ labels: { fault: 'fault-1', kind: 'consumer' }, value: '1' });
    const e2e = during.get('faultline_e2e_latency_seconds')!;
    expect(e2e.type).toBe('HISTOGRAM');
    expect(Object.keys(e2e.metrics[0].buckets!)).toContain('+Inf');

    const after = parse(await (await fetch(url)).text());
    const k = result.counts;
    expect(k.lost).toBeGreaterThan(0);
    expect(k.duplicated).toBeGreaterThan(0);
    expect({
      attempted: value(after, 'faultline_events_attempted_total'),
      acked: value(after, 'faultline_events_acked_total'),
      failed: value(after, 'faultline_events_failed_total'),
      indeterminate: value(after, 'faultline_events_indeterminate_total'),
      delivered: value(after, 'faultline_events_delivered_total'),
      duplicateDeliveries: value(after, 'faultline_duplicate_deliveries_total'),
      unexpected: value(after, 'faultline_unexpected_deliveries_total'),
      lost: value(after, 'faultline_events_lost'),
      duplicated: value(after, 'faultline_events_duplicated'),
    }).toEqual({ attempted: k.attempted, acked: k.acked, failed: k.failed, indeterminate: k.indeterminate, delivered: k.delivered, duplicateDeliveries: k.duplicateDeliveries, unexpected: k.unexpected, lost: k.lost, duplicated: k.duplicated });
    // the latency histograms hold what result.json's hold: every acknowledged send and every distinct
    // delivery, those intended in the warmup left out (the +Inf bucket is the count: this parser keeps
    // _count only for unlabelled histograms)
    expect(Number(after.get('faultline_publish_latency_seconds')!.metrics[0].buckets!['+Inf'])).toBe(result.latency.publish.count);
    expect(Number(after.get('faultline_e2e_latency_seconds')!.metrics[0].buckets!['+Inf'])).toBe(result.latency.e2e.count);
    expect(value(after, 'faultline_fault_active')).toBe(0);
    // a dashboard's histogram_quantile over the exported buckets reads what result.json says, within 5 %
    // (or within result.json's rounding to 0.01 ms, for a memory broker's publish of about 10 µs)
    for (const [metric, lat] of [
      ['faultline_e2e_latency_seconds', result.latency.e2e],
      ['faultline_publish_latency_seconds', result.latency.publish],
    ] as const) {
      const buckets = after.get(metric)!.metrics[0].buckets!;
      for (const [q, want] of [
        [0.5, lat.p50],
        [0.99, lat.p99],
        [0.999, lat.p999],
      ])
        expect(Math.abs(histogramQuantile(q, buckets) * 1000 - want), `${metric} q${q}: ${histogramQuantile(q, buckets) * 1000} ms, result.json ${want} ms`).toBeLessThanOrEqual(Math.max(0.05 * want, 0.005));
    }

    // OTLP: pushed during the run, and once more at the end with the same totals
    await pusher.close();
    expect(pushes.length).toBeGreaterThanOrEqual(4);
    const metrics = new Map(pushes[pushes.length - 1].resourceMetrics[0].scopeMetrics[0].metrics.map((m) => [m.name, m]));
    const sum = (name: string) => {
      const p = metrics.get(name)!.sum!.dataPoints[0];
      return Number(p.asDouble ?? p.asInt);
    };
    expect({ attempted: sum('faultline.events.attempted'), acked: sum('faultline.events.acked'), delivered: sum('faultline.events.delivered'), duplicateDeliveries: sum('faultline.deliveries.duplicate') }).toEqual({
      attempted: k.attempted,
      acked: k.acked,
      delivered: k.delivered,
      duplicateDeliveries: k.duplicateDeliveries,
    });
    const e2eOtlp = metrics.get('faultline.e2e.latency')!.exponentialHistogram!.dataPoints[0];
    expect(Number(e2eOtlp.count)).toBe(result.latency.e2e.count);
    expect(e2eOtlp.scale).toBe(4);
    expect(e2eOtlp.positive.bucketCounts.map(Number).reduce((a, b) => a + b, 0)).toBe(result.latency.e2e.count);
    expect(metrics.get('faultline.events.lost')).toBeDefined();
  }, 30_000);
});
