// faultline as a library: load a scenario, run it, read the result. The CLI is a thin client of this.
import { runScenario, type RunOptions } from './run/index.js';
import { loadScenarioFile, parseScenario, type LoadOptions } from './scenario/load.js';
import { scenarioSchema, type Scenario, type ScenarioInput } from './scenario/schema.js';
import type { RunResult } from './result.js';

export { runScenario, type RunOptions, type RunOutcome, type Progress } from './run/index.js';
export { loadScenarioFile, parseScenario, type LoadOptions } from './scenario/load.js';
export { scenarioSchema, type Scenario, type ScenarioInput } from './scenario/schema.js';
export { runResultSchema, type RunResult } from './result.js';
export { recheckRun, type RecheckOptions } from './recheck.js';
export { validateScenarioFile } from './validate.js';
export { compareRuns as compare, type CompareOptions, type CompareOutcome } from './compare.js';
export { findCapacity as capacity, type CapacityOptions } from './capacity.js';
export { runShard, type ShardOptions } from './run/index.js';
export { mergeShards as merge, type MergeOptions } from './shard/merge.js';
export { ShardStore } from './shard/store.js';
export { FaultlineError, ScenarioError, EnvironmentError, EXIT } from './errors.js';
export { adapters } from './adapters/registry.js';
export type { Adapter, Producer, Consumer, OutgoingEvent, Capabilities } from './adapters/types.js';

/**
 * Runs a scenario — a file path, a scenario object (as written in YAML, defaults applied here) — and
 * returns its result. Writes the run folder unless `write: false`. Throws ScenarioError for a broken
 * scenario and EnvironmentError for an unreachable broker or Toxiproxy.
 */
export async function run(scenario: string | ScenarioInput | Scenario, options: RunOptions & LoadOptions = {}): Promise<RunResult> {
  const { set, env, ...runOptions } = options;
  let parsed: Scenario;
  if (typeof scenario === 'string') {
    const loaded = loadScenarioFile(scenario, { set, env });
    parsed = loaded.scenario;
    runOptions.locate ??= loaded.locate;
  } else if (set?.length) parsed = parseScenario(JSON.stringify(scenario), 'scenario', { set, env }).scenario;
  else {
    const r = scenarioSchema.safeParse(scenario);
    parsed = r.success ? r.data : parseScenario(JSON.stringify(scenario), 'scenario', { env }).scenario;
  }
  return (await runScenario(parsed, runOptions)).result;
}
