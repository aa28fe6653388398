// Latency histograms (hdr-histogram-js, WebAssembly build): values recorded in µs, reported in ms.
import * as hdr from 'hdr-histogram-js';

let ready: Promise<void> | undefined;
/** Loads the WebAssembly module once per process; call before creating histograms. */
export function initHistograms(): Promise<void> {
  ready ??= hdr.initWebAssembly();
  return ready;
}

const HIGHEST_US = 3_600_000_000; // one hour

export function newHistogram(): hdr.Histogram {
  return hdr.build({ useWebAssembly: true, lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, autoResize: true });
}

/** Records a latency given in ms (fractional) with µs resolution; negative clock skew is clamped to 0. */
export function recordMs(h: hdr.Histogram, ms: number): void {
  const us = Math.round(ms * 1000);
  h.recordValue(us < 0 ? 0 : us > HIGHEST_US ? HIGHEST_US : us);
}

export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

const ms = (us: number) => Math.round(us) / 1000;

export function summarize(h: hdr.Histogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  // HdrHistogram answers a percentile with its bucket's highest equivalent value, which can pass the
  // largest value recorded: clamp to it.
  const max = h.maxValue;
  const at = (p: number) => ms(Math.min(h.getValueAtPercentile(p), max));
  return {
    count: h.totalCount,
    min: ms(h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue),
    mean: ms(Math.min(h.mean, max)),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: ms(max),
  };
}

export const encodeHistogram = (h: hdr.Histogram): string => hdr.encodeIntoCompressedBase64(h);
export const decodeHistogram = (s: string): hdr.Histogram => hdr.decodeFromCompressedBase64(s, 32, true);

/** The three latency histograms faultline keeps for a run or a phase. */
export class LatencySet {
  readonly publish = newHistogram();
  readonly scheduleLag = newHistogram();
  readonly e2e = newHistogram();
  destroy(): void {
    this.publish.destroy();
    this.scheduleLag.destroy();
    this.e2e.destroy();
  }
}
