import { describe, expect, it } from 'vitest';
import { OpenLoopSchedule, rateFunction } from './schedules.js';

function times(s: OpenLoopSchedule): number[] {
  const out: number[] = [];
  for (let t = s.next(); t !== Infinity; t = s.next()) out.push(t);
  return out;
}

describe('open-loop schedules', () => {
  it('a constant rate gives rate × duration events, evenly spaced', () => {
    const t = times(new OpenLoopSchedule(rateFunction(1000, 2000)!, 1, 0, 0, 2000));
    expect(t.length).toBe(2000);
    expect(t[1] - t[0]).toBeCloseTo(1, 9);
  });
  it('producers interleave and together send the whole rate', () => {
    const rate = rateFunction(1000, 1000)!;
    const a = times(new OpenLoopSchedule(rate, 2, 0, 0, 1000));
    const b = times(new OpenLoopSchedule(rate, 2, 1, 0, 1000));
    expect(a.length + b.length).toBe(1000);
    expect(b[0]).toBeCloseTo(1, 9);
    expect(a[1]).toBeCloseTo(2, 9);
  });
  it('a ramp sends the area under the ramp', () => {
    const rate = rateFunction({ ramp: { from: 100, to: 900, over: 2000 } }, 2000)!;
    const n = times(new OpenLoopSchedule(rate, 1, 0, 0, 2000)).length;
    expect(n).toBeGreaterThan(990);
    expect(n).toBeLessThan(1010);
  });
  it('steps and spikes change the rate at their boundaries', () => {
    const steps = rateFunction(
      {
        steps: [
          { rate: 100, for: 1000 },
          { rate: 500, for: 1000 },
        ],
      },
      2000,
    )!;
    expect([steps(0), steps(999), steps(1000), steps(5000)]).toEqual([100, 100, 500, 500]);
    const spike = rateFunction({ spike: { base: 100, peak: 1000, at: 1000, for: 500 } }, 3000)!;
    expect([spike(999), spike(1000), spike(1499), spike(1500)]).toEqual([100, 1000, 1000, 100]);
  });
  it('warmup runs at the starting rate before the measured part', () => {
    const t = times(new OpenLoopSchedule(rateFunction(100, 1000)!, 1, 0, 500, 1000));
    expect(t.length).toBe(150);
  });
  it('closed loop has no rate function', () => {
    expect(rateFunction({ closed: { inFlight: 8 } }, 1000)).toBeNull();
  });
});
