// Every kind of note a history holds, as one discriminated union, and the one place that folds them
// into what readers use. Notes are appended when they happen (a fault applied or healed, a lag
// sample, a client event, each second's interval), so a run killed at any moment leaves the notes of
// everything it saw; a later note of the same fault replaces the earlier one.
import type { History } from './history.js';
import type { Interval } from './intervals.js';

/** One fault window as it really happened (ms from the load's start; -1: not yet, or never). */
export interface FaultLogEntry {
  id: string;
  label: string;
  kind: string;
  target: string;
  plannedStartMs: number;
  plannedEndMs: number;
  startMs: number;
  endMs: number;
  applied: boolean;
  healed: boolean;
  error?: string;
  /** Faults on a cluster's nodes: the nodes hit, and who led the run's topic/queue/stream before and after. */
  nodes?: string[];
  /** Consumer faults: the members hit (s<subscription>/m<member>). */
  members?: string[];
  leaderBefore?: string;
  leaderAfter?: string;
}

/** A client's own report (rebalance, crash, reconnect), ms from the load's start (negative: during setup). */
export interface ClientEventEntry {
  atMs: number;
  kind: 'rebalance' | 'crash' | 'reconnect';
  member?: string;
  reason: string;
}

export interface LagSample {
  /** When the broker was asked, ms from the load's start. */
  atMs: number;
  value: number;
}

/** The consumers' backlog as the broker reported it. */
export interface LagNote {
  type: 'lag';
  /** What the figure is (the adapter's lagSource), or null when the broker gives none. */
  source: string | null;
  /** Why there are no samples (the adapter has no lag, every request failed). */
  why?: string;
  samples: LagSample[];
  /** Requests that failed or timed out, so far. */
  failed: number;
}

/** A dead letter in a history of format 1 before dead letters became blocks of their own. */
export interface DeadLetterEntry {
  subscription: number;
  producer: number;
  seq: number;
  atMs: number;
}

/** How a run ended, written last; a history without it is of a run that was killed. */
export interface RunEnd {
  status: 'passed' | 'failed' | 'aborted' | 'error';
  error?: string;
  /** The error's code: ENVIRONMENT (broker, Toxiproxy, a service action) or INTERNAL (a bug in faultline). */
  errorCode?: string;
  startedAt: string;
  endedAt: string;
  adapterStats: Record<string, number>;
  environment?: { client?: { name: string; version: string }; broker?: { version: string } };
  /** A shard's place in a split run, its clock's offset from the wall clock, and the shards it did not see finish. */
  shard?: { index: number; count: number; clockOffsetMs: number; notDone?: number[] };
}

/** How the final read went: what was read, how many of the run's events it found, whether it read to the end. */
export interface FinalReadNote {
  type: 'final-read';
  /** What was read (the adapter's finalReadSource), or null when the broker cannot be read back. */
  source: string | null;
  /** Events of this run found. */
  events: number;
  /** It read every partition to its end: an event it did not find is not in the broker. */
  complete: boolean;
  /** Why there is no complete final read. */
  why?: string;
  /** Each subscription's committed position per partition when the log was read (where the adapter can say). */
  committed?: { subscription: number; partition: number; position: number }[];
}

export type Note = { type: 'interval'; interval: Interval } | { type: 'faults'; entries: FaultLogEntry[] } | LagNote | { type: 'client-events'; entries: ClientEventEntry[] } | { type: 'dead-letters'; entries: DeadLetterEntry[] } | FinalReadNote | ({ type: 'end' } & RunEnd);

/** What the notes of a history say, folded: the readers' one view of them. */
export interface RunNotes {
  intervals: Interval[];
  /** The latest entry of each fault, in the order the faults first appeared. */
  faults: FaultLogEntry[];
  /** Every lag sample in one note; undefined for a history from before lag sampling. */
  lag: LagNote | undefined;
  clientEvents: ClientEventEntry[];
  /** Dead letters noted as JSON (older histories; they are blocks now: History.deadLetters()). */
  deadLetters: DeadLetterEntry[];
  /** How the run ended; undefined when it was killed before it could say. */
  end: RunEnd | undefined;
  /** The final read; undefined for a run that did not get to it (or a history from before final reads). */
  finalRead: FinalReadNote | undefined;
}

export function foldNotes(notes: Iterable<Note>): RunNotes {
  const out: RunNotes = { intervals: [], faults: [], lag: undefined, clientEvents: [], deadLetters: [], end: undefined, finalRead: undefined };
  const faults = new Map<string, FaultLogEntry>();
  for (const n of notes) {
    switch (n.type) {
      case 'interval':
        out.intervals.push(n.interval);
        break;
      case 'faults':
        for (const e of n.entries) faults.set(e.id, e);
        break;
      case 'lag':
        out.lag = { type: 'lag', source: n.source, ...(n.why ? { why: n.why } : {}), samples: [...(out.lag?.samples ?? []), ...n.samples], failed: Math.max(n.failed, out.lag?.failed ?? 0) };
        break;
      case 'client-events':
        out.clientEvents.push(...n.entries);
        break;
      case 'dead-letters':
        out.deadLetters.push(...n.entries);
        break;
      case 'final-read':
        out.finalRead = n;
        break;
      case 'end': {
        const { type: _type, ...end } = n;
        out.end = end;
        break;
      }
    }
  }
  out.faults = [...faults.values()];
  out.clientEvents.sort((a, b) => a.atMs - b.atMs);
  const lag = out.lag;
  if (lag && lag.source !== null && lag.samples.length === 0 && !lag.why) lag.why = `the broker answered none of ${lag.failed} lag requests`;
  return out;
}

const memo = new WeakMap<History, RunNotes>();

/** The folded notes of a history, computed once per history. */
export function runNotes(h: History): RunNotes {
  let notes = memo.get(h);
  if (!notes) memo.set(h, (notes = foldNotes(h.notes())));
  return notes;
}
