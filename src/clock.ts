// The engine's only sources of time and randomness, injected so tests are deterministic.

export interface Clock {
  /** Milliseconds (fractional, µs precision) on a monotonic clock shared by producers and consumers. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Monotonic, anchored at the Unix epoch so envelopes from other processes on this host compare. */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A seeded PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** A child generator with its own stream, derived from this one's seed and a label. */
  fork(label: number): Random {
    return new Random(Math.imul(this.state ^ (label + 1), 2654435761));
  }
}
