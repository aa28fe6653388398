// Latency counts for live metrics in exponential buckets: 16 to each power of two of seconds (the
// octaves of HdrHistogram's layout, each split geometrically; OpenTelemetry's exponential histogram
// at scale 4), from 2^-17 s (7.6 µs) to 2^6 s (64 s). A bucket is 4.4 % wide, so Prometheus's
// histogram_quantile, which interpolates inside a bucket, reads a quantile within 4.4 % of the true
// one. O(1) to record, O(buckets) to read; kept only while live metrics are on.

/** OpenTelemetry's exponential scale: base 2^(2^-SCALE). */
export const SCALE = 4;
const PER_OCTAVE = 1 << SCALE;
/** Bucket indexes: bucket i holds values in (2^((i-1)/16), 2^(i/16)] seconds. */
export const MIN_INDEX = -17 * PER_OCTAVE;
export const MAX_INDEX = 6 * PER_OCTAVE;

export class LogBuckets {
  /** counts[i - MIN_INDEX]; the first also holds everything smaller, the last (MAX_INDEX + 1) everything larger. */
  readonly counts = new Float64Array(MAX_INDEX - MIN_INDEX + 2);
  /** Seconds. */
  sum = 0;
  count = 0;

  recordMs(ms: number): void {
    const s = ms / 1000;
    this.sum += s;
    this.count++;
    const i = s > 0 ? Math.ceil(PER_OCTAVE * Math.log2(s)) : MIN_INDEX;
    this.counts[(i < MIN_INDEX ? MIN_INDEX : i > MAX_INDEX + 1 ? MAX_INDEX + 1 : i) - MIN_INDEX]++;
  }
}

/** The upper bound (seconds) of bucket i. */
export const upperBound = (i: number): number => 2 ** (i / PER_OCTAVE);
