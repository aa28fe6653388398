// What a checker returns: valid true, false, or unknown (no data, or the checker threw), never a guess.

export type Valid = true | false | 'unknown';

export interface Verdict<C = Record<string, number>, S = unknown> {
  valid: Valid;
  counts: C;
  samples: S;
  /** Why the verdict is false or unknown, in one line. */
  why?: string;
}

/** The run's verdict: false outranks unknown, which outranks true. */
export function worst(valids: Valid[]): Valid {
  if (valids.includes(false)) return false;
  if (valids.includes('unknown')) return 'unknown';
  return true;
}

const STATUS_RANK = ['passed', 'failed', 'aborted', 'error'] as const;
export type RunStatus = (typeof STATUS_RANK)[number];

/** The status of a run made of several (shards): the worst of theirs, error outranking aborted, then failed. */
export function worstStatus(statuses: RunStatus[]): RunStatus {
  return statuses.reduce<RunStatus>((w, s) => (STATUS_RANK.indexOf(s) > STATUS_RANK.indexOf(w) ? s : w), 'passed');
}

export interface Sample {
  id: string;
  producer: number;
  seq: number;
  key: number;
  subscription: number;
  /** Where the final read found it: [partition, position]. */
  at?: [number, number][];
  /** When it was meant to be sent, ms since the load started. */
  sentMs?: number;
  /** A read anomaly's member (s0/m1), and when its read came (ms since the load started). */
  member?: string;
  readMs?: number;
}

export const SAMPLE_LIMIT = 100;

export function pushSample(list: Sample[], producer: number, seq: number, key: number, subscription: number): void {
  if (list.length < SAMPLE_LIMIT) list.push({ id: `${producer}:${seq}`, producer, seq, key, subscription });
}
