// Live metrics for dashboards (`--metrics prometheus[:[HOST:]PORT]`): /metrics in Prometheus's text
// format through prom-client's registry, from what the run has seen so far. Counters are totals since
// the load started (Prometheus takes rates of them); the latency distributions are classic histograms
// with 16 buckets to each power of two (src/observe/log-buckets.ts: histogram_quantile reads within
// 4.4 % of result.json; 369 buckets a histogram), over the same events result.json's latency covers
// (the warmup left out), never pre-computed quantiles, so histograms of several runs add up. After the
// verdict's counts (lost, duplicated, unexpected, dead-lettered) are added: a live run cannot know
// what is lost until its drain is over.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import type { RunResult } from '../result.js';
import type { Buckets, LiveSample, LiveState } from './live.js';

/** A classic histogram whose buckets are set from outside (prom-client's Histogram only counts observations). */
class BucketHistogram {
  readonly type = 'histogram';
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => { labels: Record<string, string>; buckets: Buckets } | null,
  ) {}
  async get() {
    const b = this.read();
    const values = b
      ? [
          ...b.buckets.le.map((le, i) => ({ metricName: `${this.name}_bucket`, labels: { ...b.labels, le }, value: b.buckets.cumulative[i] })),
          { metricName: `${this.name}_bucket`, labels: { ...b.labels, le: '+Inf' }, value: b.buckets.count },
          { metricName: `${this.name}_sum`, labels: b.labels, value: b.buckets.sum },
          { metricName: `${this.name}_count`, labels: b.labels, value: b.buckets.count },
        ]
      : [];
    return { name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' };
  }
}

export class PrometheusExporter {
  readonly registry = new Registry();
  private server: http.Server | null = null;

  constructor(live: LiveState) {
    const r = this.registry;
    const sample = () => live.sample();
    const labels = ['run', 'target'];
    const counter = (name: string, help: string, pick: (s: LiveSample) => number) =>
      new Counter({
        name,
        help,
        labelNames: labels,
        registers: [r],
        collect() {
          const s = sample();
          this.reset();
          if (s) this.inc({ run: s.run, target: s.target }, pick(s));
        },
      });
    const gauge = (name: string, help: string, pick: (s: LiveSample) => number | null) =>
      new Gauge({
        name,
        help,
        labelNames: labels,
        registers: [r],
        collect() {
          const s = sample();
          this.reset();
          const v = s && pick(s);
          if (s && v !== null) this.set({ run: s.run, target: s.target }, v);
        },
      });
    counter('faultline_events_attempted_total', 'events the producers started to send', (s) => s.attempted);
    counter('faultline_events_acked_total', 'sends the broker acknowledged', (s) => s.acked);
    counter('faultline_events_failed_total', 'sends the broker refused (definite failures)', (s) => s.failed);
    counter('faultline_events_indeterminate_total', 'sends with no answer or a lost connection', (s) => s.indeterminate);
    counter('faultline_events_delivered_total', 'distinct events delivered, summed over subscriptions', (s) => s.delivered);
    counter('faultline_duplicate_deliveries_total', 'deliveries of an event already delivered to that subscription', (s) => s.duplicateDeliveries);
    counter('faultline_unexpected_deliveries_total', 'unreadable deliveries and deliveries of events never sent, seen so far', (s) => s.unexpected);
    gauge('faultline_in_flight', 'sends not answered yet', (s) => s.inFlight);
    gauge('faultline_events_awaiting_delivery', 'acknowledged events not delivered yet, summed over subscriptions (lost only once the drain is over)', (s) => s.awaitingDelivery);
    gauge('faultline_attempted_per_second', 'events attempted in the last second', (s) => s.lastSecond?.attempted ?? null);
    gauge('faultline_acked_per_second', 'sends acknowledged in the last second', (s) => s.lastSecond?.acked ?? null);
    gauge('faultline_delivered_per_second', 'distinct events delivered in the last second', (s) => s.lastSecond?.delivered ?? null);
    gauge('faultline_consumer_lag', 'the consumers’ backlog as the broker last reported it (absent where it gives none)', (s) => s.lag);
    new Gauge({
      name: 'faultline_fault_active',
      help: '1 while a fault window is applied',
      labelNames: [...labels, 'fault', 'kind', 'label'],
      registers: [r],
      collect() {
        const s = sample();
        this.reset();
        for (const f of s?.faults ?? []) this.set({ run: s!.run, target: s!.target, fault: f.id, kind: f.kind, label: f.label }, f.active ? 1 : 0);
      },
    });
    const judged = (): RunResult | null => live.result;
    const verdict = (name: string, help: string, pick: (r: RunResult) => number) =>
      new Gauge({
        name,
        help,
        labelNames: labels,
        registers: [r],
        collect() {
          this.reset();
          const res = judged();
          if (res && Number.isFinite(pick(res))) this.set({ run: res.runId, target: res.target.name }, pick(res));
        },
      });
    verdict('faultline_events_lost', 'acknowledged and never delivered (the checker’s count, once the run is over)', (x) => x.counts.lost);
    verdict('faultline_events_duplicated', 'events delivered more than once (the checker’s count)', (x) => x.counts.duplicated);
    verdict('faultline_events_unexpected', 'unexpected deliveries (the checker’s count)', (x) => x.counts.unexpected);
    verdict('faultline_events_dead_lettered', 'acknowledged events that ended in a dead-letter queue (the checker’s count)', (x) => x.counts.deadLettered);
    const hist = (name: string, help: string, pick: (s: LiveSample) => Buckets) =>
      r.registerMetric(
        new BucketHistogram(name, help, () => {
          const s = sample();
          return s ? { labels: { run: s.run, target: s.target }, buckets: pick(s) } : null;
        }) as never,
      );
    hist('faultline_publish_latency_seconds', 'acknowledgement − actual send time', (s) => s.publish);
    hist('faultline_e2e_latency_seconds', 'first delivery − intended send time (coordinated omission corrected)', (s) => s.e2e);
  }

  /** Serves /metrics on host:port (port 0: any free one); resolves with its URL. */
  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = http.createServer((req, res) => {
      if (req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end('faultline serves /metrics\n');
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500).end(`${err.message}\n`),
      );
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, resolve);
    });
    const a = this.server.address() as AddressInfo;
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/metrics`;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = null;
  }
}
