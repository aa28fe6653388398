// Send outcomes: what an adapter answers for each event, and their one-byte codes in the history.

export const Outcome = { pending: 1, ok: 2, failed: 3, indeterminate: 4 } as const;
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];
export type SendOutcome = 'ok' | 'failed' | 'indeterminate';
export const OUTCOME_CODE: Record<SendOutcome, OutcomeCode> = { ok: Outcome.ok, failed: Outcome.failed, indeterminate: Outcome.indeterminate };
