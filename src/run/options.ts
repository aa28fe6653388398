// What a caller can ask of a run, split by concern: which plan, where its folder goes, and the hooks
// it watches the run through.
import type { Clock } from '../clock.js';
import type { Interval } from '../observe/intervals.js';
import type { RunPlan } from '../plan/plan.js';
import type { LiveState } from '../report/live.js';
import type { RunResult } from '../result.js';
import type { ShardStore } from '../shard/store.js';

export interface Progress {
  elapsedMs: number;
  totalMs: number;
  phase: string;
  interval: Interval;
  inFlight: number;
  /** Failed and indeterminate sends in the last second. */
  errors: number;
}

/** Which plan: the target, the seed, and what gates may compare with. */
export interface PlanOptions {
  target?: string;
  /** file:line:col of a field path, for plan-time problems (the loader's `locate`). */
  locate?: (path: (string | number)[]) => string;
  seed?: number;
  /** A stored result that `baseline * f` gates compare with. */
  baseline?: RunResult;
}

/** Where the run's folder goes. */
export interface OutputOptions {
  /** Parent folder of the run folder; default: the scenario's report.out. */
  outDir?: string;
  /** Write result.json and intervals.ndjson (default true). */
  write?: boolean;
}

/** How a caller watches and stops a run. */
export interface RunHooks {
  signal?: AbortSignal;
  clock?: Clock;
  onProgress?: (p: Progress) => void;
  /** Called once the run folder exists, before the load starts. */
  onStart?: (info: { runId: string; dir: string | null; plan: RunPlan }) => void;
  /** Live metrics (--metrics): the run reports what it has seen so far to it, and its verdict counts at the end. */
  metrics?: Pick<LiveState, 'attach' | 'detach' | 'finish'>;
}

export type RunOptions = PlanOptions & OutputOptions & RunHooks;

export interface ShardOptions extends Omit<PlanOptions, 'baseline'>, RunHooks {
  /** This shard's place in the run and the store it meets the others through. */
  store: ShardStore;
}
