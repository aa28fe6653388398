// Random fault schedules from a seed (pure-rand's xoroshiro128+): how many faults, which, how long,
// and where, none overlapping and all before the fault-free tail; about one run in four is a control.
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Schedule } from './schedule.js';
import type { Space } from './space.js';

export class ScheduleGenerator {
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  private int(min: number, max: number): number {
    return uniformInt(this.rng, Math.ceil(min), Math.floor(max));
  }

  /** A float in [0, 1). */
  private unit(): number {
    return uniformInt(this.rng, 0, 999_999) / 1_000_000;
  }

  /** The next run's schedule: a control (no faults) with the space's share, else 1…max faults. */
  next(space: Space): { schedule: Schedule; control: boolean } {
    const { spec } = space;
    if (this.unit() < spec.controls) return { schedule: { faults: [], rate: 1 }, control: true };
    const rate = spec.rate.min === spec.rate.max ? spec.rate.min : Math.round((spec.rate.min + this.unit() * (spec.rate.max - spec.rate.min)) * 100) / 100;
    const room = space.durationMs - spec.tail;
    let n = this.int(spec.faults.min, spec.faults.max);
    // as many faults as fit, each at least window.min long (a restart takes no time but gets the same slot)
    n = Math.max(1, Math.min(n, Math.floor(room / spec.window.min)));
    // a kind first, then one of its faults: a kind with many aims (consumer faults) is not drawn more often
    const kinds = [...new Set(space.templates.map((t) => t.kind))];
    const picks = Array.from({ length: n }, () => {
      const kind = kinds[this.int(0, kinds.length - 1)];
      const of = space.templates.filter((t) => t.kind === kind);
      return of[this.int(0, of.length - 1)];
    });
    const lengths = picks.map((t) => (t.kind === 'restart' ? 0 : this.int(spec.window.min, Math.min(spec.window.max, room / n))));
    const slots = lengths.map((l) => Math.max(l, spec.window.min));
    // the slack, cut at random into n + 1 gaps (before, between and after the faults)
    const slack = room - slots.reduce((a, b) => a + b, 0);
    const cuts = Array.from({ length: n }, () => this.unit() * slack).sort((a, b) => a - b);
    let at = 0;
    const faults = picks.map((t, i) => {
      const start = Math.round(at + cuts[i] - (i ? cuts[i - 1] : 0));
      at = start + slots[i];
      return { ...t, at: start, length: lengths[i] };
    });
    return { schedule: { faults, rate }, control: false };
  }
}
