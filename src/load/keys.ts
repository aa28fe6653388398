// Seeded generators of event keys (uniform or Zipf over a key space) and payload sizes.
import type { Random } from '../clock.js';

export class KeyGenerator {
  private readonly cdf: Float64Array | null;
  constructor(
    private readonly rng: Random,
    private readonly count: number,
    distribution: 'uniform' | 'zipf',
    exponent = 1,
  ) {
    if (distribution === 'uniform') {
      this.cdf = null;
      return;
    }
    const cdf = new Float64Array(count);
    let sum = 0;
    for (let i = 0; i < count; i++) cdf[i] = sum += 1 / Math.pow(i + 1, exponent);
    for (let i = 0; i < count; i++) cdf[i] /= sum;
    this.cdf = cdf;
  }

  next(): number {
    if (!this.cdf) return this.rng.int(this.count);
    const u = this.rng.next();
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class SizeGenerator {
  constructor(
    private readonly rng: Random,
    private readonly min: number,
    private readonly max: number,
  ) {}
  next(): number {
    return this.min === this.max ? this.min : this.min + this.rng.int(this.max - this.min + 1);
  }
}
