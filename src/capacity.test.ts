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

describe('compare --capacity', () => {
  it('compares targets by the rate each sustains: the known ceilings, and one page of the confirming holds', async () => {
    const { mkdtempSync, readFileSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { compareRuns } = await import('./cli/report-commands.js');
    const { scenario } = parseScenario('name: capcmp\ntargets:\n  slow: { adapter: memory, maxRate: 3k/s }\n  fast: { adapter: memory, maxRate: 6k/s }\nworkload: { rate: 1k/s, duration: 1s }\n', 'capcmp.yaml');
    const out = mkdtempSync(path.join(tmpdir(), 'fl-capcmp-'));
    const outcome = await compareRuns(scenario, ['slow', 'fast'], { out, quiet: true, signal: new AbortController().signal, capacity: { p99Ms: 100, stepMs: 1000, holdMs: 1500, startRate: 2000, maxRate: 100_000 } });
    const dir = path.dirname(outcome.page);
    const json = JSON.parse(readFileSync(path.join(dir, 'capacity.json'), 'utf8')) as { targets: { target: string; rate: number }[] };
    const rate = (t: string) => json.targets.find((x) => x.target === t)!.rate;
    console.log(outcome.summary);
    expect(rate('slow')).toBeGreaterThanOrEqual(2700);
    expect(rate('slow')).toBeLessThanOrEqual(3300);
    expect(rate('fast')).toBeGreaterThanOrEqual(5400);
    expect(rate('fast')).toBeLessThanOrEqual(6600);
    expect(outcome.allPassed).toBe(true);
    const page = readFileSync(outcome.page, 'utf8');
    expect(page).toContain('slow');
    expect(page).toContain('fast');
    expect(existsSync(outcome.page)).toBe(true);
  }, 180_000);
});
