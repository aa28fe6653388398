// What a run has seen so far, for live metrics (Prometheus's /metrics, OTLP pushes): the run attaches
// a source of samples while it runs, leaves its last sample when it lets go of its recorder, and
// hands over its judged result at the end.
import type * as hdr from 'hdr-histogram-js';
import type { LiveTotals } from '../observe/recorder.js';
import type { RunResult } from '../result.js';

/** Bucket bounds in seconds: 100 µs to 1 min. */
export const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

/** A histogram as Prometheus's classic form holds it: cumulative counts per upper bound (seconds), the sum and the count. */
export interface Buckets {
  le: number[];
  cumulative: number[];
  sum: number;
  count: number;
}

/** Cumulative counts of an HdrHistogram (µs) at each bound: the largest k whose value at rank k is within the bound. */
export function bucketsOf(h: hdr.Histogram): Buckets {
  const total = h.totalCount;
  const valueAtRank = (k: number) => h.getValueAtPercentile((100 * k) / total);
  const cumulative = LATENCY_BUCKETS.map((le) => {
    const bound = le * 1e6;
    if (total === 0) return 0;
    if (valueAtRank(total) <= bound) return total;
    let lo = 0;
    let hi = total; // valueAtRank(hi) > bound
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (valueAtRank(mid) <= bound) lo = mid;
      else hi = mid;
    }
    return lo;
  });
  return { le: [...LATENCY_BUCKETS], cumulative, sum: (h.mean * total) / 1e6, count: total };
}

/** What a scrape shows: the run's totals so far (the recorder's), the last second, and what is going on. */
export interface LiveSample extends Omit<LiveTotals, 'publish' | 'e2e'> {
  run: string;
  target: string;
  inFlight: number;
  /** Acknowledged events not yet delivered, summed over subscriptions. */
  awaitingDelivery: number;
  /** The last second's counts (events/s). */
  lastSecond: { attempted: number; acked: number; delivered: number } | null;
  /** The broker's last lag figure, or null where it gives none. */
  lag: number | null;
  faults: { id: string; label: string; kind: string; active: boolean }[];
  publish: Buckets;
  e2e: Buckets;
}

export class LiveState {
  private source: (() => LiveSample) | null = null;
  private frozen: LiveSample | null = null;
  result: RunResult | null = null;

  /** The run reports through this while it runs. */
  attach(source: () => LiveSample): void {
    this.source = source;
    this.frozen = null;
  }

  /** The run's last figures, kept once it lets go of its recorder. */
  detach(): void {
    if (this.source) this.frozen = this.source();
    this.source = null;
  }

  /** The checker's verdict counts, once the run is judged. */
  finish(result: RunResult): void {
    this.result = result;
  }

  /** The latest figures, or null before the load starts. */
  sample(): LiveSample | null {
    return this.frozen ?? this.source?.() ?? null;
  }
}
