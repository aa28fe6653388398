import { describe, expect, it } from 'vitest';
import { parseScenario } from './scenario/load.js';

// The search on its own is tested through the CLI (test/cli.test.ts: `faultline capacity`).
describe('compare --capacity', () => {
  it('compares targets by the rate each sustains: the known ceilings, and one page of the confirming holds', async () => {
    const { mkdtempSync, readFileSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { compareRuns } = await import('./compare.js');
    const { scenario } = parseScenario('name: capcmp\ntargets:\n  slow: { adapter: memory, maxRate: 3k/s }\n  fast: { adapter: memory, maxRate: 6k/s }\nworkload: { rate: 1k/s, duration: 1s }\n', 'capcmp.yaml');
    const out = mkdtempSync(path.join(tmpdir(), 'fl-capcmp-'));
    const outcome = await compareRuns(scenario, ['slow', 'fast'], { out, capacity: { p99Ms: 100, stepMs: 1000, holdMs: 1500, startRate: 2000, maxRate: 100_000 } });
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
