// Needs: the local services of scripts/services.sh. Runs every scenario in scenarios/ once,
// shortened to a few seconds past its last fault, on every target, and checks what it says it shows (`shows:`).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it, type ExpectStatic } from 'vitest';
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
/** Every target of every scenario (a multi-target scenario shows its point on each); side by side ones as one run. */
const runs = files.flatMap((f) => {
  const targets = Object.keys(loadScenarioFile(dir + f).scenario.targets);
  return sideBySide.includes(f) ? [[f, targets]] : targets.map((t) => [f, [t]]);
}) as [string, string[]][];

/**
 * Overrides that shorten a scenario to its last fault + 4 s (at least 3 s), with a 1 s warmup. A
 * scenario that shows something of its recovery keeps its whole recovery window: after a 10 s
 * blackout kafkajs' idempotent producer acknowledged again 0.2 to 8 s after the heal in the suite
 * (its retry backoff doubles up to 30 s), so no shorter tail is sure to see it.
 */
async function shortened(file: string, target: string): Promise<{ set: string[]; ms: number }> {
  const { scenario } = loadScenarioFile(dir + file);
  const plan = await planRun(scenario, { target });
  const lastFault = Math.max(0, ...plan.faults.map((w) => w.endMs - plan.warmupMs));
  const ofRecovery = scenario.shows.some((g) => typeof g !== 'string' && g.phase?.startsWith('recovery'));
  const duration = ofRecovery ? scenario.workload.duration : Math.min(scenario.workload.duration, Math.max(lastFault + 4000, 3000));
  return { set: [`duration=${Math.ceil(duration)}ms`, `warmup=${Math.min(scenario.workload.warmup, 1000)}ms`, `drain.deadline=20s`], ms: duration };
}

/**
 * Two lanes that run side by side, no broker in both: each broker's runs go, one after another, to
 * the lane with less load time so far (the broker with most first). A fault on one broker's proxy or
 * process never touches the other lane's broker; what a scenario shows (counts of lost, duplicated,
 * delivered events; a latency floor) must survive the other lane's load. A scenario on several
 * brokers (compare-brokers) runs alone after them.
 */
const brokersOf = (file: string, targets: string[]) => [...new Set(targets.map((t) => loadScenarioFile(dir + file).scenario.targets[t].adapter))];
const byBroker = new Map<string, { runs: [string, string[]][]; ms: number }>();
const alone: [string, string[]][] = [];
for (const [file, targets] of runs) {
  const brokers = brokersOf(file, targets);
  if (brokers.length > 1) {
    alone.push([file, targets]);
    continue;
  }
  const group = byBroker.get(brokers[0]) ?? { runs: [], ms: 0 };
  group.runs.push([file, targets]);
  group.ms += (await shortened(file, targets[0])).ms;
  byBroker.set(brokers[0], group);
}
const lanes = [0, 1].map(() => ({ brokers: [] as string[], runs: [] as [string, string[]][], ms: 0 }));
for (const [broker, group] of [...byBroker].sort((a, b) => b[1].ms - a[1].ms)) {
  const lane = lanes[0].ms <= lanes[1].ms ? lanes[0] : lanes[1];
  lane.brokers.push(broker);
  lane.runs.push(...group.runs);
  lane.ms += group.ms;
}

const title = (list: [string, string[]][]) => list.map(([f, t]) => `${f} (${t.join(', ')})`).join(', ');
/** Runs a lane's scenarios one after another; a failing one does not stop the others. */
const runLane =
  (list: [string, string[]][]) =>
  async ({ expect }: { expect: ExpectStatic }) => {
    for (const [file, targets] of list) {
      await Promise.all(
        targets.map((target) =>
          runAndCheck(file, target, expect).catch((err: Error) => {
            expect.soft(`${file} ${target}: ${err.stack ?? err.message}`).toBeUndefined();
          }),
        ),
      );
    }
  };

describe.concurrent('every scenario in scenarios/ runs (shortened) and shows what it says it shows, on every target: two lanes, no broker in both', () => {
  for (const lane of lanes) it(`${lane.brokers.join(', ')}: ${title(lane.runs)}`, runLane(lane.runs), 600_000);
});

describe('every scenario in scenarios/ on several brokers, alone', () => {
  for (const run of alone) it(title([run]), runLane([run]), 120_000);
});

async function runAndCheck(file: string, target: string, expect: ExpectStatic): Promise<void> {
  const text = readFileSync(dir + file, 'utf8');
  const expectFail = /Expect the gates to FAIL/.test(text);
  // A scenario meant to lose events would only wait out a long drain for events that never come.
  const set = [...(await shortened(file, target)).set, ...(expectFail ? ['drain.deadline=5s'] : [])];
  const { scenario } = loadScenarioFile(dir + file, { set });
  const { result } = await runScenario(scenario, { target, write: false });
  const word = (g: { passed: boolean }) => (g.passed ? 'held' : 'DID NOT HOLD');
  console.log(`${file} ${target} (${set.join(' ')}): ${result.status}; lost ${result.counts.lost}, e2e p99 ${result.latency.e2e.p99} ms; shows ${(result.shows ?? []).map((g) => `${g.expr}${g.phase ? ` [${g.phase}]` : ''} (${g.value}) ${word(g)}`).join(', ')}`);
  expect.soft(['passed', 'failed'], `${file} ${target}: status`).toContain(result.status);
  expect
    .soft(
      result.faults.every((f) => f.applied && f.healed),
      `${file} ${target}: faults ${JSON.stringify(result.faults)}`,
    )
    .toBe(true);
  // what the scenario says it shows (its `shows:`), every entry judged on this run
  expect.soft(result.shows?.length, `${file} ${target}: shows`).toBeGreaterThan(0);
  for (const g of result.shows ?? []) expect.soft(g.passed, `${file} ${target}: shows ${g.expr}${g.phase ? ` [${g.phase}]` : ''}: ${g.value ?? g.error}`).toBe(true);
}
