// `faultline validate`: everything `run` checks before it touches a broker (the file, then the plan of
// every target: gates, phases, faults, capabilities), each problem at its file:line:col.
import { ScenarioError } from './errors.js';
import { planRun } from './plan/plan.js';
import { loadScenarioFile, parseScenario, type LoadedScenario, type LoadOptions } from './scenario/load.js';

/** Resolves when the file could run; throws a ScenarioError listing every problem otherwise. */
export async function validateScenarioFile(file: string, opts: LoadOptions = {}): Promise<void> {
  await validateLoaded(loadScenarioFile(file, opts));
}

/** The same for scenario text already read (`file` names it in the problems). */
export async function validateScenarioText(text: string, file: string, opts: LoadOptions = {}): Promise<void> {
  await validateLoaded(parseScenario(text, file, opts));
}

async function validateLoaded({ scenario, locate, file }: LoadedScenario): Promise<void> {
  const problems: string[] = [];
  for (const target of Object.keys(scenario.targets)) {
    // `baseline * f` gates are valid here: `run` asks for --baseline when one is missing.
    await planRun(scenario, { target, locate, hasBaseline: true }).catch((err: unknown) => {
      if (!(err instanceof ScenarioError)) throw err;
      for (const p of err.problems.length ? err.problems : [err.message]) if (!problems.includes(p)) problems.push(p);
    });
  }
  if (problems.length) throw new ScenarioError(`${file} cannot run as written`, problems);
}
