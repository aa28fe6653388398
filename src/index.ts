// faultline as a library: load a scenario, run it, read the result. The CLI is a thin client of this.
export { runScenario, type RunOptions, type RunOutcome, type Progress } from './run.js';
export { loadScenarioFile, parseScenario, type LoadOptions } from './scenario/load.js';
export { scenarioSchema, type Scenario, type ScenarioInput } from './scenario/schema.js';
export { runResultSchema, type RunResult } from './result.js';
export { FaultlineError, ScenarioError, EnvironmentError, EXIT } from './errors.js';
export { adapters } from './adapters/registry.js';
export type { Adapter, Producer, Consumer, OutgoingEvent, Capabilities } from './adapters/types.js';
