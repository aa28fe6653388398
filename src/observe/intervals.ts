// The one-second interval series: counts and latency percentiles of each second of the load.
import type * as hdr from 'hdr-histogram-js';
import { newHistogram, recordMs } from './histograms.js';

export interface Interval {
  /** Seconds since the load started, at the end of this interval. */
  t: number;
  attempted: number;
  acked: number;
  failed: number;
  indeterminate: number;
  delivered: number;
  publish: { p50: number; p99: number; max: number };
  e2e: { p50: number; p90: number; p99: number; p999: number; max: number };
}

const ms = (us: number) => Math.round(us) / 1000;

export class IntervalSeries {
  readonly closed: Interval[] = [];
  attempted = 0;
  acked = 0;
  failed = 0;
  indeterminate = 0;
  delivered = 0;
  private readonly publish: hdr.Histogram = newHistogram();
  private readonly e2e: hdr.Histogram = newHistogram();

  recordPublish(msValue: number): void {
    recordMs(this.publish, msValue);
  }
  recordE2e(msValue: number): void {
    recordMs(this.e2e, msValue);
  }

  /** Closes the current interval at `t` seconds and starts the next one. */
  close(t: number): Interval {
    const p = this.publish;
    const e = this.e2e;
    const pct = (h: hdr.Histogram, q: number) => ms(Math.min(h.getValueAtPercentile(q), h.maxValue));
    const iv: Interval = {
      t,
      attempted: this.attempted,
      acked: this.acked,
      failed: this.failed,
      indeterminate: this.indeterminate,
      delivered: this.delivered,
      publish: { p50: pct(p, 50), p99: pct(p, 99), max: ms(p.maxValue) },
      e2e: { p50: pct(e, 50), p90: pct(e, 90), p99: pct(e, 99), p999: pct(e, 99.9), max: ms(e.maxValue) },
    };
    this.closed.push(iv);
    this.attempted = this.acked = this.failed = this.indeterminate = this.delivered = 0;
    p.reset();
    e.reset();
    return iv;
  }

  destroy(): void {
    this.publish.destroy();
    this.e2e.destroy();
  }
}
