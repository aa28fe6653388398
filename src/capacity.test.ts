import { describe, expect, it } from 'vitest';
import { findCapacity } from './capacity.js';
import { parseScenario } from './scenario/load.js';

describe('capacity search', () => {
  it('finds the memory broker’s known ceiling (maxRate 20k/s) within 10%', async () => {
    const { scenario } = parseScenario('name: cap\ntargets: { m: { adapter: memory, maxRate: 20k/s } }\nworkload: { rate: 1k/s, duration: 1s }\n', 'cap.yaml');
    const found = await findCapacity(scenario, { p99Ms: 100, stepMs: 2000, holdMs: 4000, startRate: 2500, maxRate: 200_000 });
    console.log(`capacity: ${found.rate}/s after ${found.steps.length} steps: ${found.steps.map((s) => `${s.rate}${s.passed ? '✓' : '✗'}`).join(' ')}`);
    expect(found.rate).not.toBeNull();
    expect(found.rate!).toBeGreaterThanOrEqual(18_000);
    expect(found.rate!).toBeLessThanOrEqual(22_000);
    expect(found.steps.some((s) => !s.passed && s.rate > 20_000)).toBe(true);
  }, 120_000);
});
