// Live metrics pushed over OTLP/HTTP (`--metrics otlp=URL`) through OpenTelemetry's JS SDK: the same
// figures as /metrics (report/prometheus.ts), produced for the SDK's periodic reader by a
// MetricProducer, so the latency histograms keep the bucket counts of the run's HdrHistograms instead
// of being observed value by value. Cumulative temporality, pushed every second and once at the end.
import { ValueType } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, MeterProvider, PeriodicExportingMetricReader, type CollectionResult, type MetricData, type MetricProducer } from '@opentelemetry/sdk-metrics';
import { VERSION } from '../version.js';
import type { Buckets, LiveSample, LiveState } from './live.js';

type HrTime = [number, number];
const hr = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

const descriptor = (name: string, description: string, unit = '{event}') => ({ name, description, unit, valueType: ValueType.DOUBLE });

/** The run's figures as OTLP metric data (cumulative since the load started). */
export function otlpMetrics(s: LiveSample, startMs: number, nowMs: number, judged: { lost: number; duplicated: number; unexpected: number; deadLettered: number } | null): MetricData[] {
  const attributes = { 'faultline.run': s.run, 'faultline.target': s.target };
  const point = <T>(value: T, extra: Record<string, string> = {}) => ({ startTime: hr(startMs), endTime: hr(nowMs), attributes: { ...attributes, ...extra }, value });
  const sum = (name: string, description: string, value: number): MetricData => ({ descriptor: descriptor(name, description), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints: [point(value)] });
  const gauge = (name: string, description: string, value: number | null): MetricData[] => (value === null ? [] : [{ descriptor: descriptor(name, description), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints: [point(value)] }]);
  // The exponential form (scale 4: 16 buckets a power of two), which collectors turn into native histograms
  const histogram = (name: string, description: string, b: Buckets): MetricData => {
    const { scale, offset, counts } = b.exponential;
    const value = { count: b.count, sum: b.sum, scale, zeroCount: 0, positive: { offset, bucketCounts: counts }, negative: { offset: 0, bucketCounts: [] } };
    return { descriptor: descriptor(name, description, 's'), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM, dataPoints: [point(value)] };
  };
  return [
    sum('faultline.events.attempted', 'events the producers started to send', s.attempted),
    sum('faultline.events.acked', 'sends the broker acknowledged', s.acked),
    sum('faultline.events.failed', 'sends the broker refused (definite failures)', s.failed),
    sum('faultline.events.indeterminate', 'sends with no answer or a lost connection', s.indeterminate),
    sum('faultline.events.delivered', 'distinct events delivered, summed over subscriptions', s.delivered),
    sum('faultline.deliveries.duplicate', 'deliveries of an event already delivered to that subscription', s.duplicateDeliveries),
    sum('faultline.deliveries.unexpected', 'unreadable deliveries and deliveries of events never sent, seen so far', s.unexpected),
    ...gauge('faultline.in_flight', 'sends not answered yet', s.inFlight),
    ...gauge('faultline.events.awaiting_delivery', 'acknowledged events not delivered yet', s.awaitingDelivery),
    ...gauge('faultline.consumer.lag', 'the consumers’ backlog as the broker last reported it', s.lag),
    ...s.faults.map((f): MetricData => ({
      descriptor: descriptor('faultline.fault.active', '1 while a fault window is applied', '1'),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: [point(f.active ? 1 : 0, { 'faultline.fault': f.id, 'faultline.fault.kind': f.kind })],
    })),
    ...(judged
      ? [
          ...gauge('faultline.events.lost', 'acknowledged and never delivered (the checker’s count)', judged.lost),
          ...gauge('faultline.events.duplicated', 'events delivered more than once (the checker’s count)', judged.duplicated),
          ...gauge('faultline.events.unexpected', 'unexpected deliveries (the checker’s count)', judged.unexpected),
          ...gauge('faultline.events.dead_lettered', 'acknowledged events that ended in a dead-letter queue', judged.deadLettered),
        ]
      : []),
    histogram('faultline.publish.latency', 'acknowledgement − actual send time', s.publish),
    histogram('faultline.e2e.latency', 'first delivery − intended send time (coordinated omission corrected)', s.e2e),
  ];
}

export class OtlpPusher {
  private readonly provider: MeterProvider;
  private readonly reader: PeriodicExportingMetricReader;
  private startMs: number | null = null;

  constructor(live: LiveState, url: string, intervalMs = 1000) {
    const resource = resourceFromAttributes({ 'service.name': 'faultline', 'service.version': VERSION });
    const producer: MetricProducer = {
      collect: async (): Promise<CollectionResult> => {
        const s = live.sample();
        const now = Date.now();
        if (s) this.startMs ??= now;
        const r = live.result;
        const metrics = s ? otlpMetrics(s, this.startMs ?? now, now, r && { lost: r.counts.lost, duplicated: r.counts.duplicated, unexpected: r.counts.unexpected, deadLettered: r.counts.deadLettered }) : [];
        return { resourceMetrics: { resource, scopeMetrics: [{ scope: { name: 'faultline', version: VERSION }, metrics }] }, errors: [] };
      },
    };
    this.reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url }), exportIntervalMillis: intervalMs, exportTimeoutMillis: Math.min(intervalMs, 30_000), metricProducers: [producer] });
    this.provider = new MeterProvider({ resource, readers: [this.reader] });
  }

  /** Pushes the last figures (the verdict counts included) and stops. */
  async close(): Promise<void> {
    await this.reader.forceFlush().catch(() => undefined);
    await this.provider.shutdown().catch(() => undefined);
  }
}
