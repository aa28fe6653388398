// What a run has seen so far, for live metrics (Prometheus's /metrics, OTLP pushes): the run attaches
// a source of samples while it runs, leaves its last sample when it lets go of its recorder, and
// hands over its judged result at the end.
import { MAX_INDEX, MIN_INDEX, SCALE, upperBound, type LogBuckets } from '../observe/log-buckets.js';
import type { LiveTotals } from '../observe/recorder.js';
import type { RunResult } from '../result.js';

/** Bucket bounds in seconds: 2^(i/16) from 7.6 µs to 64 s (src/observe/log-buckets.ts). */
export const LATENCY_BUCKETS: readonly number[] = Array.from({ length: MAX_INDEX - MIN_INDEX + 1 }, (_, k) => upperBound(MIN_INDEX + k));

/** A histogram as Prometheus's classic form holds it: cumulative counts per upper bound (seconds), the sum and the count. */
export interface Buckets {
  le: number[];
  cumulative: number[];
  sum: number;
  count: number;
  /** The same counts as OpenTelemetry's exponential histogram: bucket offset + k holds (base^(offset+k), base^(offset+k+1)]. */
  exponential: { scale: number; offset: number; counts: number[] };
}

/** Cumulative counts at each bound (classic histogram), from the live buckets. */
export function bucketsOf(b: LogBuckets): Buckets {
  const cumulative: number[] = [];
  let c = 0;
  for (let k = 0; k < LATENCY_BUCKETS.length; k++) cumulative.push((c += b.counts[k]));
  return { le: [...LATENCY_BUCKETS], cumulative, sum: b.sum, count: b.count, exponential: { scale: SCALE, offset: MIN_INDEX - 1, counts: [...b.counts] } };
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
