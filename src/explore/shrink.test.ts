// The shrinker against a fake oracle: a schedule fails only when its culprit faults are all in it (two
// culprits: only while their windows overlap), every time or half the time. Whatever else a schedule
// holds, the minimal one is the culprits, within the ddmin bound on runs.
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { describe, expect, it } from 'vitest';
import type { Fault, Schedule } from './schedule.js';
import { shrink } from './shrink.js';
import { rejectAfter, wilson } from './stats.js';

interface Case {
  schedule: Schedule;
  culprits: string[];
}

/** n faults in their own windows; one or two of them culprits (a second culprit overlaps the first). */
const cases = fc
  .record({ n: fc.integer({ min: 1, max: 12 }), first: fc.nat(), two: fc.boolean(), second: fc.nat(), lengths: fc.array(fc.integer({ min: 200, max: 3000 }), { minLength: 12, maxLength: 12 }) })
  .filter((c) => !c.two || c.n >= 2)
  .map(({ n, first, two, second, lengths }): Case => {
    const faults: Fault[] = Array.from({ length: n }, (_, i) => ({ kind: 'kill', target: `f${i}`, at: i * 4000, length: lengths[i] }));
    const a = first % n;
    const culprits = [faults[a].target];
    if (two) {
      const b = (a + 1 + (second % (n - 1))) % n;
      // the second culprit starts inside the first one's window
      faults[b] = { ...faults[b], at: faults[a].at + Math.floor(faults[a].length / 2), length: 1000 };
      culprits.push(faults[b].target);
    }
    return { schedule: { faults, rate: 1.5 }, culprits };
  });

function oracle(c: Case, failRate: number, seed: number) {
  const rng = xoroshiro128plus(seed);
  return async (s: Schedule) => {
    const held = c.culprits.map((t) => s.faults.find((f) => f.target === t));
    if (held.some((f) => !f)) return false;
    if (held.length === 2 && !(held[0]!.at < held[1]!.at + held[1]!.length && held[1]!.at < held[0]!.at + held[0]!.length)) return false;
    return failRate >= 1 || uniformInt(rng, 0, 999) < failRate * 1000;
  };
}

const targets = (s: Schedule) => s.faults.map((f) => f.target).sort();

describe('shrinking a fault schedule', () => {
  it('a failure every time: exactly the culprits, one cause within 2⌈log₂ n⌉ ddmin tests, two within Zeller’s worst case n² + 3n', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const r = await shrink(c.schedule, oracle(c, 1, 0), { rejectAfter: 1, windowMin: 100, rateMin: 1 });
        expect(targets(r.minimal)).toEqual([...c.culprits].sort());
        const n = c.schedule.faults.length;
        expect(r.ddminTests).toBeLessThanOrEqual(c.culprits.length === 1 ? 2 * Math.ceil(Math.log2(Math.max(2, n))) : n * n + 3 * n);
        // the rest of the shrinking acted too: the lowest rate, no window left longer than it needs
        expect(r.minimal.rate).toBe(1);
        if (c.culprits.length === 1) expect(r.minimal.faults[0].length).toBe(100);
      }),
      { numRuns: 200 },
    );
  });

  it('a flaky failure (half the time): never loses a culprit, and finds exactly the culprits in at least 90 % of cases at 99 % confidence per step', async () => {
    const m = rejectAfter(0.5, 0.99);
    expect(m).toBe(7);
    let exact = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(cases, fc.integer(), async (c, seed) => {
        const r = await shrink(c.schedule, oracle(c, 0.5, seed), { rejectAfter: m, windowMin: 100, rateMin: 1 });
        const got = targets(r.minimal);
        for (const t of c.culprits) expect(got).toContain(t);
        total++;
        if (got.length === c.culprits.length) exact++;
      }),
      { numRuns: 150 },
    );
    console.log(`flaky oracle: exact in ${exact} of ${total}`);
    expect(exact / total).toBeGreaterThanOrEqual(0.9);
  });

  it('the numbers: m for 90 % confidence, and the Wilson interval of 4 of 5', () => {
    expect([rejectAfter(1), rejectAfter(0.9), rejectAfter(0.5), rejectAfter(0.2)]).toEqual([1, 1, 4, 11]);
    const [lo, hi] = wilson(4, 5);
    expect(lo.toFixed(2)).toBe('0.38');
    expect(hi.toFixed(2)).toBe('0.96');
  });
});
