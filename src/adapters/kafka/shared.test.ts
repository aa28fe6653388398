// A group's lag as the drain and the unseen verdict read it: never less than what the broker holds
// that the group may not have read.
import { describe, expect, it } from 'vitest';
import { groupLag } from './shared.js';

describe('groupLag', () => {
  const ends = [
    { partition: 0, low: 0n, high: 100n },
    { partition: 1, low: 10n, high: 60n },
    { partition: 2, low: 0n, high: 0n },
  ];

  it('counts each partition from its commit, and a partition without one whole (its member may have read none of it)', () => {
    expect(
      groupLag(
        ends,
        new Map([
          [0, 90n],
          [1, 60n],
          [2, -1n],
        ]),
      ),
    ).toBe(10);
    // partition 1 never committed (-1 or absent): its 50 events count, not 0
    expect(
      groupLag(
        ends,
        new Map([
          [0, 100n],
          [1, -1n],
        ]),
      ),
    ).toBe(50);
    expect(groupLag(ends, new Map())).toBe(150);
  });
});
