// Needs: the local services of scripts/services.sh. Runs every scenario in scenarios/ once,
// shortened to a few seconds past its last fault, on every target, and checks what it says it shows (`shows:`).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planRun } from '../src/plan/plan.js';
import { runScenario } from '../src/run/index.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { ROOT } from './helpers/services.js';

const dir = `${ROOT}scenarios/`;
// The *-baseline scenarios are the conformance suite's runs (every adapter, no fault) under a file
// name; src/scenario/scenarios.test.ts still plans each of them. kafka-baseline, the README's
// quickstart, runs here too.
// These run in full in test/consumers.test.ts, which asserts more of them.
const elsewhere = ['redis-lagging-restart.yaml', 'redis-consumer-death.yaml', 'slow-consumer.yaml', 'kafka-rebalance-storm.yaml', 'poison-dlq.yaml'];
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && (!f.endsWith('-baseline.yaml') || f === 'kafka-baseline.yaml') && !elsewhere.includes(f));
/**
 * Multi-target scenarios whose targets run at the same time: compare-brokers' each fault only their own
 * broker's proxy; the others compare two clients of one broker under one fault, so run together each
 * sees the union of both runs' windows (a harsher fault, which what they show must survive).
 */
const sideBySide = ['compare-brokers.yaml', 'kafka-duplicate-writes.yaml', 'kafka-retries.yaml', 'rabbitmq-confirms.yaml'];
/** Every target of every scenario (a multi-target scenario shows its point on each); side by side ones as one test. */
const runs = files.flatMap((f) => {
  const targets = Object.keys(loadScenarioFile(dir + f).scenario.targets);
  return sideBySide.includes(f) ? [[f, targets.join(', ')] as const] : targets.map((t) => [f, t] as const);
});

/** Overrides that shorten a scenario to its last fault + 4 s (at least 3 s), with a 1 s warmup. */
async function shortened(file: string, target: string): Promise<string[]> {
  const { scenario } = loadScenarioFile(dir + file);
  const plan = await planRun(scenario, { target });
  const lastFault = Math.max(0, ...plan.faults.map((w) => w.endMs - plan.warmupMs));
  const duration = Math.min(scenario.workload.duration, Math.max(lastFault + 4000, 3000));
  return [`duration=${Math.ceil(duration)}ms`, `warmup=${Math.min(scenario.workload.warmup, 1000)}ms`, `drain.deadline=20s`];
}

describe('every scenario in scenarios/ runs (shortened) and shows what it says it shows, on every target', () => {
  it.each(runs.map(([f, t]) => [f, t]))(
    '%s (%s)',
    async (file, targets) => {
      await Promise.all(targets.split(', ').map((target) => runAndCheck(file, target)));
    },
    120_000,
  );
});

async function runAndCheck(file: string, target: string): Promise<void> {
  const text = readFileSync(dir + file, 'utf8');
  const expectFail = /Expect the gates to FAIL/.test(text);
  // A scenario meant to lose events would only wait out a long drain for events that never come.
  const set = [...(await shortened(file, target)), ...(expectFail ? ['drain.deadline=5s'] : [])];
  const { scenario } = loadScenarioFile(dir + file, { set });
  const { result } = await runScenario(scenario, { target, write: false });
  const word = (g: { passed: boolean }) => (g.passed ? 'held' : 'DID NOT HOLD');
  console.log(`${file} ${target} (${set.join(' ')}): ${result.status}; lost ${result.counts.lost}, e2e p99 ${result.latency.e2e.p99} ms; shows ${(result.shows ?? []).map((g) => `${g.expr}${g.phase ? ` [${g.phase}]` : ''} (${g.value}) ${word(g)}`).join(', ')}`);
  expect(['passed', 'failed']).toContain(result.status);
  expect(
    result.faults.every((f) => f.applied && f.healed),
    JSON.stringify(result.faults),
  ).toBe(true);
  // what the scenario says it shows (its `shows:`), every entry judged on this run
  expect(result.shows?.length).toBeGreaterThan(0);
  for (const g of result.shows ?? []) expect(g.passed, `${file} ${target}: shows ${g.expr}${g.phase ? ` [${g.phase}]` : ''}: ${g.value ?? g.error}`).toBe(true);
}
