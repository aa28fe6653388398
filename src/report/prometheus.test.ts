// Live metrics: /metrics scraped in the middle of a memory run parses as Prometheus's text format, and
// scraped after the run its counters equal result.json's (a broker that drops and duplicates, so the
// counts being compared are not all zero).
// @ts-expect-error: the parser ships no types
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../run.js';
import { scenarioSchema } from '../scenario/schema.js';
import { PrometheusExporter } from './prometheus.js';

interface Family {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }[];
}
const parse = (text: string) => new Map((parsePrometheusTextFormat(text) as Family[]).map((f) => [f.name, f]));
const value = (m: Map<string, Family>, name: string) => Number(m.get(name)?.metrics[0]?.value);

const exporter = new PrometheusExporter();
afterAll(() => exporter.close());

describe('--metrics prometheus', () => {
  it('a scrape mid-run parses; after the run its counters equal result.json', async () => {
    const url = await exporter.listen(0);
    let mid: Promise<string> | undefined;
    const { result } = await runScenario(
      scenarioSchema.parse({
        name: 'scraped',
        seed: 5,
        targets: { m: { adapter: 'memory', drop: '1%', duplicate: '2%' } },
        workload: { consumers: 2, rate: '1k/s', duration: '3s', warmup: '1s' },
        faults: [{ at: '1s', for: '1s', consumer: { pause: 0 } }],
        drain: { quiet: '300ms', deadline: '1s' },
      }),
      { write: false, metrics: exporter, onProgress: (p) => void (p.elapsedMs >= 2000 && (mid ??= fetch(url).then((r) => r.text()))) },
    );
    const during = parse(await mid!);
    expect(during.get('faultline_events_attempted_total')?.type).toBe('COUNTER');
    expect(value(during, 'faultline_events_attempted_total')).toBeGreaterThan(1000);
    expect(value(during, 'faultline_events_attempted_total')).toBeLessThan(result.counts.attempted);
    // the pause of member 0 was on when scraped at 2 s (1 s warmup + 1 s)
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
    // every acknowledged send has a publish latency; every distinct delivery an e2e latency (the +Inf
    // bucket is the count: this parser keeps _count only for unlabelled histograms)
    expect(Number(after.get('faultline_publish_latency_seconds')!.metrics[0].buckets!['+Inf'])).toBe(k.acked);
    expect(Number(after.get('faultline_e2e_latency_seconds')!.metrics[0].buckets!['+Inf'])).toBe(k.delivered);
    expect(value(after, 'faultline_fault_active')).toBe(0);
  }, 30_000);
});
