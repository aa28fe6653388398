// `faultline heal`: undoes what a run recorded in its nemesis.json (after kill -9), or resets every
// proxy of Toxiproxy (--all).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EnvironmentError, ScenarioError } from '../errors.js';
import { describeStep, healStep } from './actions.js';
import type { NemesisState } from './nemesis.js';
import { Toxiproxy } from './toxiproxy.js';

export const STATE_FILE = 'nemesis.json';

export interface HealReport {
  healed: string[];
  failed: string[];
}

export async function healRunFolder(dir: string): Promise<HealReport> {
  const file = path.join(dir, STATE_FILE);
  if (!existsSync(file)) throw new ScenarioError(`${dir} has no ${STATE_FILE}: it is not a run folder, or its run applied no fault`);
  let state: NemesisState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as NemesisState;
  } catch (err) {
    throw new ScenarioError(`${file} is not readable JSON (${(err as Error).message}); use faultline heal --all to reset every proxy`);
  }
  const tp = new Toxiproxy({ url: state.toxiproxy });
  const report: HealReport = { healed: [], failed: [] };
  for (const s of [...state.steps].reverse()) {
    if (s.healed) continue;
    try {
      await healStep(s.step, tp);
      s.healed = true;
      report.healed.push(describeStep(s.step));
    } catch (err) {
      report.failed.push(`${describeStep(s.step)}: ${(err as Error).message}`);
    }
  }
  writeFileSync(file, JSON.stringify(state, null, 2));
  return report;
}

/** Removes every toxic and re-enables every proxy. */
export async function healAllProxies(url?: string): Promise<HealReport> {
  const tp = new Toxiproxy({ url });
  let proxies;
  try {
    proxies = await tp.proxies();
  } catch (err) {
    throw new EnvironmentError((err as Error).message);
  }
  await tp.reset();
  const healed = Object.values(proxies).flatMap((p) => [...p.toxics.map((t) => `remove toxic ${t.name} from ${p.name}`), ...(p.enabled ? [] : [`re-enable proxy ${p.name}`])]);
  return { healed, failed: [] };
}
