import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../errors.js';
import { planRun } from '../plan/plan.js';
import { parseScenario } from '../scenario/load.js';

const base = (faults: string, target = '{ adapter: redis, proxy: redis }', extra = '') => `name: f\ntargets:\n  t: ${target}\nworkload: { rate: 10/s, duration: 30s, warmup: 2s }\nfaults:\n${faults}\n${extra}`;

async function problems(text: string): Promise<string[]> {
  try {
    const { scenario } = parseScenario(text, 'f.yaml');
    await planRun(scenario);
    return [];
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
}

describe('fault specs', () => {
  it('expands repeats into windows after the warmup, with a fault and a recovery phase each', async () => {
    const { scenario } = parseScenario(base('  - { at: 5s, for: 2s, repeat: { every: 10s, times: 2 }, latency: { latency: 100ms } }'), 'f.yaml');
    const plan = await planRun(scenario);
    expect(plan.faults.map((w) => [w.id, w.kind, w.target, w.startMs, w.endMs])).toEqual([
      ['fault-1', 'latency', 'redis', 7000, 9000],
      ['fault-2', 'latency', 'redis', 17000, 19000],
    ]);
    expect(plan.phases.map((p) => [p.name, p.startMs, p.endMs])).toEqual([
      ['warmup', 0, 2000],
      ['baseline', 2000, 7000],
      ['fault-1', 7000, 9000],
      ['recovery-1', 9000, 17000],
      ['fault-2', 17000, 19000],
      ['recovery-2', 19000, 32000],
    ]);
  });

  it('reports unknown toxics and attributes, several kinds in one entry and missing durations, with positions', async () => {
    const p = await problems(base('  - { at: 1s, for: 1s, latancy: { latency: 1ms } }\n  - { at: 3s, for: 1s, latency: { delay: 5ms } }\n  - { at: 5s, for: 1s, down: true, pause: redis }\n  - { at: 7s, down: true }'));
    expect(p).toContainEqual(expect.stringMatching(/^f\.yaml:6:24: faults\[0\]: unknown field 'latancy'/));
    expect(p).toContainEqual(expect.stringMatching(/^f\.yaml:7:\d+: faults\[1\]\.latency: unknown field 'delay'/));
    expect(p).toContainEqual(expect.stringMatching(/^f\.yaml:8:\d+: faults\[2\]: one fault per entry, found down and pause/));
    expect(p).toContainEqual(expect.stringMatching(/^f\.yaml:9:\d+: faults\[3\]: required: how long/));
  });

  it('refuses network faults without a proxy, unknown services, overlaps and faults past the load', async () => {
    expect(await problems(base('  - { at: 1s, for: 1s, down: true }', '{ adapter: memory }'))).toContainEqual(expect.stringMatching(/down acts on a Toxiproxy proxy, but neither the fault nor the target names one/));
    expect(await problems(base('  - { at: 1s, for: 1s, pause: postgres }'))).toContainEqual(expect.stringMatching(/'postgres' is not a service of scripts\/services\.sh .*use exec/));
    expect(await problems(base('  - { at: 1s, for: 5s, down: true }\n  - { at: 3s, for: 1s, pause: redis }'))).toContainEqual(expect.stringMatching(/fault-2 starts before fault-1 ends/));
    expect(await problems(base('  - { at: 29s, for: 5s, down: true }'))).toContainEqual(expect.stringMatching(/after the load/));
  });

  it('gates may name a phase or a phase group, and nothing else', async () => {
    expect(await problems(base('  - { at: 1s, for: 1s, down: true }', undefined, 'gates: [{ phase: recovery, check: e2e.p99 < 1s }, { phase: fault-1, check: lost == 0 }]'))).toEqual([]);
    expect((await problems(base('  - { at: 1s, for: 1s, down: true }', undefined, 'gates: [{ phase: recovry, check: lost == 0 }]')))[0]).toMatch(/no phase 'recovry' in this run \(it has: warmup, baseline, fault-1, fault, recovery-1, recovery\)/);
  });
});
