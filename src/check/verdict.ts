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

export interface Sample {
  id: string;
  producer: number;
  seq: number;
  key: number;
  subscription: number;
}

export const SAMPLE_LIMIT = 100;

export function pushSample(list: Sample[], producer: number, seq: number, key: number, subscription: number): void {
  if (list.length < SAMPLE_LIMIT) list.push({ id: `${producer}:${seq}`, producer, seq, key, subscription });
}
