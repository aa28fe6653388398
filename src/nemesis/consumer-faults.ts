// Faults on faultline's own consumer members (kill, pause, restart, stall): what the nemesis asks of
// the run, which owns the members.
import type { ConsumerFaultSpec } from './schema.js';

export interface ConsumerControl {
  /** The members a selector names, as `s<subscription>/m<member>` (a member index acts in every subscription). */
  select(which: number | 'all'): string[];
  /** Pause (take nothing), stall (take, acknowledge nothing) or run again. */
  set(members: string[], state: 'running' | 'paused' | 'stalled'): void;
  /** Each event takes `ms` longer (0: as the scenario says again). */
  slow(members: string[], ms: number): void;
  /** The members die: nothing more recorded or acknowledged, their connections closed. */
  kill(members: string[]): Promise<void>;
  /** New members in the place of dead ones (the same subscription and index). */
  start(members: string[]): Promise<void>;
}

export const consumerAction = (c: ConsumerFaultSpec): 'kill' | 'pause' | 'restart' | 'stall' | 'slow' => (['kill', 'pause', 'restart', 'stall', 'slow'] as const).find((a) => c[a] !== undefined)!;
