// Needs: the local services of scripts/services.sh. Runs every scenario in scenarios/ once,
// shortened to a few seconds past its last fault, and checks what its comment promises.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planRun } from '../src/plan/plan.js';
import { runScenario } from '../src/run/index.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { ROOT } from './helpers/services.js';

const dir = `${ROOT}scenarios/`;
// The *-baseline scenarios are the conformance suite's runs (every adapter, no fault) under a file
// name; src/scenario/scenarios.test.ts still plans each of them.
// These run in full in test/consumers.test.ts, which asserts more of them.
const elsewhere = ['redis-lagging-restart.yaml', 'redis-consumer-death.yaml', 'slow-consumer.yaml', 'kafka-rebalance-storm.yaml', 'poison-dlq.yaml'];
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.endsWith('-baseline.yaml') && !elsewhere.includes(f));

/** Overrides that shorten a scenario to its last fault + 4 s (at least 3 s), with a 1 s warmup. */
async function shortened(file: string): Promise<string[]> {
  const { scenario } = loadScenarioFile(dir + file);
  const target = Object.keys(scenario.targets)[0];
  const plan = await planRun(scenario, { target });
  const lastFault = Math.max(0, ...plan.faults.map((w) => w.endMs - plan.warmupMs));
  const duration = Math.min(scenario.workload.duration, Math.max(lastFault + 4000, 3000));
  return [`duration=${Math.ceil(duration)}ms`, `warmup=${Math.min(scenario.workload.warmup, 1000)}ms`, `drain.deadline=20s`];
}

describe('every scenario in scenarios/ runs (shortened)', () => {
  it.each(files.map((f) => [f]))(
    '%s',
    async (file) => {
      const text = readFileSync(dir + file, 'utf8');
      const expectFail = /Expect the gates to FAIL/.test(text);
      // A scenario meant to lose events would only wait out a long drain for events that never come.
      const set = [...(await shortened(file)), ...(expectFail ? ['drain.deadline=5s'] : [])];
      const { scenario } = loadScenarioFile(dir + file, { set });
      // compare-brokers has five targets; `faultline compare` is tested elsewhere: run its fastest one here
      const target = scenario.targets.nats ? 'nats' : Object.keys(scenario.targets)[0];
      const { result } = await runScenario(scenario, { target, write: false });
      console.log(`${file} (${set.join(' ')}): ${result.status}; lost ${result.counts.lost}, e2e p99 ${result.latency.e2e.p99} ms, gates ${result.gates.map((g) => `${g.expr}=${g.passed ? 'pass' : 'FAIL'}`).join(', ')}`);
      expect(['passed', 'failed']).toContain(result.status);
      expect(
        result.faults.every((f) => f.applied && f.healed),
        JSON.stringify(result.faults),
      ).toBe(true);
      if (!expectFail) {
        expect(result.counts.lost).toBe(0);
        expect(result.counts.unexpected).toBe(0);
      }
    },
    120_000,
  );
});
