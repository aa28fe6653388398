// Findings from the runs of an exploration: one per failure signature, in the order first seen; a
// signature a fault-free control also failed with is background (the system fails so on its own).
import { describe, expect, it } from 'vitest';
import { updateFindings } from './explore.js';
import type { TriedRun } from './runner.js';
import { outcomeOf, type Outcome } from './signature.js';
import type { ExploreState } from './state.js';

const run = (n: number, purpose: TriedRun['purpose'], outcome: Outcome): TriedRun => ({ n, purpose, outcome, schedule: { faults: [], rate: 1 }, file: '', dir: null, lost: 0, durationMs: 0 });
const failed = (signature: string): Outcome => ({ kind: 'failed', signature });

describe('findings', () => {
  it('one per signature of an exploration run; background when a control failed so too; inconclusive runs are none', () => {
    const state = {
      runs: [run(1, 'explore', failed('delivery:lost')), run(2, 'control', failed('gate:e2e.p99')), run(3, 'explore', { kind: 'inconclusive', why: 'unseen' }), run(4, 'explore', failed('gate:e2e.p99')), run(5, 'explore', failed('delivery:lost')), run(6, 'explore', { kind: 'passed' })],
      findings: [],
    } as unknown as ExploreState;
    updateFindings(state);
    expect(state.findings).toEqual([
      { signature: 'delivery:lost', firstRun: 1, background: false, status: 'found' },
      { signature: 'gate:e2e.p99', firstRun: 4, background: true, status: 'found' },
    ]);
  });
});

describe('failure signatures', () => {
  const result = (o: object) => ({ status: 'failed', verdict: false, verdicts: {}, gates: [], counts: { lost: 0, duplicated: 0, unexpected: 0, overwritten: 0 }, ...o }) as unknown as Parameters<typeof outcomeOf>[0];
  it('names the delivery counts and the gates that failed; an unknown verdict or an error is inconclusive, never a failure', () => {
    expect(
      outcomeOf(
        result({
          verdicts: { delivery: { valid: false } },
          counts: { lost: 3, duplicated: 2, unexpected: 0, overwritten: 0 },
          gates: [
            { expr: 'lost == 0', passed: false },
            { expr: 'e2e.p99 < 50ms', phase: 'baseline', passed: false },
            { expr: 'unexpected == 0', passed: true },
          ],
        }),
      ),
    ).toEqual({
      kind: 'failed',
      signature: 'delivery:lost + gate:baseline:e2e.p99 + gate:lost',
    });
    expect(outcomeOf(result({ verdict: 'unknown', verdicts: { delivery: { valid: 'unknown', why: 'unseen 40' } }, gates: [{ expr: 'lost == 0', passed: false, verdict: 'unknown' }] }))).toEqual({ kind: 'inconclusive', why: 'unseen 40' });
    expect(outcomeOf(result({ status: 'error', error: 'Kafka unreachable' }))).toEqual({ kind: 'inconclusive', why: 'Kafka unreachable' });
    expect(outcomeOf(result({ status: 'passed', verdict: true, verdicts: { delivery: { valid: true } } }))).toEqual({ kind: 'passed' });
  });
});
