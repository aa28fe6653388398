// The schedule generator: the same seed gives the same schedules; every schedule fits its space (its
// count, windows, rate, no overlap, nothing in the fault-free tail); about the asked share are controls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScheduleGenerator } from './generate.js';
import { exploreSchema, resolveBounds } from './schema.js';
import type { Space } from './space.js';

const spaces = fc
  .record({
    min: fc.integer({ min: 1, max: 3 }),
    extra: fc.integer({ min: 0, max: 4 }),
    wmin: fc.integer({ min: 50, max: 1000 }),
    wextra: fc.integer({ min: 0, max: 3000 }),
    rmin: fc.double({ min: 0.2, max: 2, noNaN: true }),
    rextra: fc.double({ min: 0, max: 2, noNaN: true }),
    tail: fc.integer({ min: 0, max: 3000 }),
    duration: fc.integer({ min: 4000, max: 30_000 }),
    restart: fc.boolean(),
  })
  .map((o): Space => ({
    templates: [{ kind: 'kill', target: 'memory' }, { kind: 'consumer', target: 'all', mode: 'pause' }, ...(o.restart ? [{ kind: 'restart' as const, target: 'memory' }] : [])],
    spec: resolveBounds(exploreSchema.parse({ faults: { min: o.min, max: o.min + o.extra }, window: { min: o.wmin, max: o.wmin + o.wextra }, rate: { min: o.rmin, max: o.rmin + o.rextra }, tail: o.tail, controls: 0.25 }), o.duration),
    durationMs: Math.max(o.duration, o.tail + o.wmin),
  }));

describe('random fault schedules', () => {
  it('fit their space and repeat from their seed', () => {
    fc.assert(
      fc.property(spaces, fc.integer(), (space, seed) => {
        const a = new ScheduleGenerator(seed);
        const b = new ScheduleGenerator(seed);
        for (let i = 0; i < 20; i++) {
          const { schedule, control } = a.next(space);
          expect(b.next(space).schedule).toEqual(schedule);
          if (control) {
            expect(schedule.faults).toEqual([]);
            continue;
          }
          const { spec } = space;
          expect(schedule.faults.length).toBeGreaterThanOrEqual(1);
          expect(schedule.faults.length).toBeLessThanOrEqual(spec.faults.max);
          expect(schedule.rate).toBeGreaterThanOrEqual(spec.rate.min - 0.01);
          expect(schedule.rate).toBeLessThanOrEqual(spec.rate.max + 0.01);
          let end = 0;
          for (const f of schedule.faults) {
            expect(f.at).toBeGreaterThanOrEqual(end);
            if (f.kind !== 'restart') {
              expect(f.length).toBeGreaterThanOrEqual(spec.window.min);
              expect(f.length).toBeLessThanOrEqual(spec.window.max);
            }
            end = f.at + Math.max(f.length, spec.window.min);
          }
          expect(end).toBeLessThanOrEqual(space.durationMs - spec.tail + 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('about one run in four is a control', () => {
    const g = new ScheduleGenerator(7);
    const space: Space = { templates: [{ kind: 'kill', target: 'memory' }], spec: resolveBounds(exploreSchema.parse({}), 10_000), durationMs: 10_000 };
    const controls = Array.from({ length: 2000 }, () => g.next(space).control).filter(Boolean).length;
    expect(controls / 2000).toBeGreaterThan(0.22);
    expect(controls / 2000).toBeLessThan(0.28);
  });
});
