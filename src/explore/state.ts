// explore.json: everything an exploration tried and found, written after every run so a stopped
// exploration can be resumed (--resume) and its page drawn again.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ScenarioError } from '../errors.js';
import type { Schedule } from './schedule.js';
import type { ShrinkStep } from './shrink.js';
import type { TriedRun } from './runner.js';

export interface Finding {
  signature: string;
  /** The exploration run that first failed with it. */
  firstRun: number;
  /** It also failed a control run: the system fails so on its own. Not shrunk. */
  background: boolean;
  /** Re-runs of the failing schedule: how many failed with the signature. */
  reproduced?: { failed: number; runs: number };
  /** Passing runs after which a shrink step was rejected. */
  rejectAfter?: number;
  status: 'found' | 'not reproducible' | 'shrunk' | 'stopped by the budget';
  shrinkPath?: ShrinkStep[];
  shrinkRuns?: number;
  minimal?: Schedule;
  /** minimal.yaml (the first finding) or minimal-N.yaml, in the explore folder. */
  minimalFile?: string;
  /** Re-runs of the minimal schedule. */
  confirmed?: { failed: number; runs: number; interval: [number, number] };
}

export interface ExploreState {
  faultline: string;
  scenario: string;
  target: string;
  seed: number;
  /** The exploration runs asked for (--runs). */
  runsAsked: number;
  budgetMs: number;
  startedAt: string;
  /** ms spent, over every session of it (a resumed one adds to it). */
  elapsedMs: number;
  runs: TriedRun[];
  findings: Finding[];
  done: boolean;
}

export const stateFile = (dir: string) => path.join(dir, 'explore.json');

export function saveState(dir: string, state: ExploreState): void {
  writeFileSync(stateFile(dir), JSON.stringify(state, null, 2));
}

export function loadState(dir: string): ExploreState {
  try {
    return JSON.parse(readFileSync(stateFile(dir), 'utf8')) as ExploreState;
  } catch (err) {
    throw new ScenarioError(`--resume ${dir}: no exploration to resume there (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
