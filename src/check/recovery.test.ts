import { describe, expect, it } from 'vitest';
import type { Interval } from '../observe/intervals.js';
import { recoveryTime } from './recovery.js';

const iv = (t: number, delivered: number, p99: number): Interval => ({ t, attempted: 1000, acked: delivered, failed: 0, indeterminate: 0, delivered, publish: { p50: 1, p99: 1, max: 1 }, e2e: { p50: 1, p90: 1, p99, p999: p99, max: p99 } });
const base = { deliveredPerSec: 1000, e2eP99: 10 };

describe('recovery time', () => {
  it('is the start of the first of 3 good seconds after the fault, minus the fault end', () => {
    const series = [iv(1, 1000, 10), iv(2, 0, 0), iv(3, 0, 0), iv(4, 3000, 900), iv(5, 1000, 30), iv(6, 1000, 15), iv(7, 990, 12), iv(8, 1000, 10), iv(9, 1000, 10)];
    // fault from 1 s to 3 s; second 5 (t=5) has p99 30 > 2×10, so the good run starts at t=6 → 5000 − 3000
    expect(recoveryTime(series, 3000, base)).toBe(2000);
  });
  it('is null when the rate never comes back for 3 seconds, or there is no baseline', () => {
    const series = [iv(1, 1000, 10), iv(2, 500, 10), iv(3, 1000, 10), iv(4, 1000, 10), iv(5, 800, 10)];
    expect(recoveryTime(series, 1000, base)).toBeNull();
    expect(recoveryTime(series, 1000, null)).toBeNull();
  });
  it('a sub-millisecond baseline p99 does not make a few milliseconds of noise count as not recovered', () => {
    const tiny = { deliveredPerSec: 1000, e2eP99: 1 };
    expect(recoveryTime([iv(1, 1000, 1), iv(2, 1000, 4), iv(3, 1000, 3), iv(4, 1000, 5)], 1000, tiny)).toBe(0);
    expect(recoveryTime([iv(1, 1000, 1), iv(2, 1000, 7), iv(3, 1000, 7), iv(4, 1000, 7)], 1000, tiny)).toBeNull();
  });
  it('is 0 when the system is back right away', () => {
    expect(recoveryTime([iv(1, 1000, 10), iv(2, 1000, 10), iv(3, 1000, 10), iv(4, 1000, 10)], 1000, base)).toBe(0);
  });
});
