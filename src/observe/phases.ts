// Phases: named slices of a run (warmup, baseline, each fault window, recovery) by intended send time.

export interface PhaseSpan {
  name: string;
  /** ms from the start of the load. */
  startMs: number;
  endMs: number;
}

/** The index of the phase holding `t` (ms from the start of the load); the last phase if past the end. */
export function phaseAt(phases: readonly PhaseSpan[], t: number): number {
  for (let i = phases.length - 1; i >= 0; i--) if (t >= phases[i].startMs) return i;
  return 0;
}
