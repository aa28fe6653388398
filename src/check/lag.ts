// The consumer lag checker: the backlog the broker reported each second (the history's `lag` note),
// its largest and its last value for the run and for each phase. It measures; gates judge (`lag.max`,
// `lag.final`), and a gate over no samples is unknown, never a pass.
import type { History } from '../observe/history.js';
import { runNotes, type LagSample } from '../observe/notes.js';
import { phaseAt } from '../observe/phases.js';
import type { RunPlan } from '../plan/plan.js';
import type { Verdict } from './verdict.js';

/** The largest and the last backlog in a span; null without samples. */
export interface LagFigures {
  max: number | null;
  final: number | null;
}

export interface LagCounts extends LagFigures {
  source: string | null;
  why?: string;
  samples: LagSample[];
  /** Per phase; the last phase also holds the samples of the drain and the one taken after it. */
  phases: LagFigures[];
}

function figures(samples: LagSample[]): LagFigures {
  if (samples.length === 0) return { max: null, final: null };
  return { max: Math.max(...samples.map((s) => s.value)), final: samples[samples.length - 1].value };
}

export function checkLag(h: History, plan: RunPlan): Verdict<LagCounts, null> {
  const note = runNotes(h).lag;
  const samples = [...(note?.samples ?? [])].sort((a, b) => a.atMs - b.atMs);
  const inPhase: LagSample[][] = plan.phases.map(() => []);
  // Samples before the load (none are taken) would fall in the first phase.
  for (const s of samples) if (s.atMs >= 0) inPhase[phaseAt(plan.phases, s.atMs)].push(s);
  const why = note ? note.why : 'this run recorded no lag (a history from before lag sampling)';
  return {
    valid: true,
    counts: { source: note?.source ?? null, ...(why ? { why } : {}), samples, ...figures(samples), phases: inPhase.map(figures) },
    samples: null,
  };
}
