import { describe, expect, it } from 'vitest';
import { needsDeliveries, parseGate, type ParsedGate } from '../scenario/gates.js';
import { evaluateGate, type GateInputs } from './gates.js';

const inputs: GateInputs = {
  counts: { attempted: 10_000, lost: 0, duplicated: 5 },
  latency: { e2e: { count: 9000, p99: 120, max: 900 }, publish: { count: 10_000, p99: 3 } },
  throughput: { attemptedPerSec: 1000, ackedPerSec: 1000, deliveredPerSec: 950 },
  recovery: { max: null },
};
const gate = (expr: string) => parseGate(expr) as ParsedGate;

describe('gates', () => {
  it('parses counts, percentages, durations and rates', () => {
    expect(gate('lost == 0')).toMatchObject({ metric: 'lost', op: '==', threshold: 0, kind: 'count' });
    expect(gate('duplicated <= 0.1%')).toMatchObject({ threshold: 0.001, relative: true });
    expect(gate('e2e.p99 < 250ms')).toMatchObject({ kind: 'latency', threshold: 250 });
    expect(gate('e2e.p99 < 2s')).toMatchObject({ threshold: 2000 });
    expect(gate('throughput.delivered >= 900/s')).toMatchObject({ kind: 'throughput', threshold: 900 });
  });
  it('refuses unknown metrics and values of the wrong unit with a message', () => {
    expect(parseGate('lsot == 0')).toMatch(/unknown metric 'lsot'/);
    expect(parseGate('e2e.p98 < 1s')).toMatch(/unknown metric/);
    expect(parseGate('e2e.p99 < fast')).toMatch(/compares with a duration/);
    expect(parseGate('lost is zero')).toMatch(/expected 'metric op value'/);
  });
  it('evaluates against values, and a percentage against attempted events', () => {
    expect(evaluateGate(gate('lost == 0'), inputs).passed).toBe(true);
    expect(evaluateGate(gate('duplicated <= 0.1%'), inputs)).toMatchObject({ value: 0.0005, passed: true });
    expect(evaluateGate(gate('duplicated <= 0.01%'), inputs).passed).toBe(false);
    expect(evaluateGate(gate('e2e.p99 < 100ms'), inputs)).toMatchObject({ value: 120, passed: false });
    expect(evaluateGate(gate('throughput.delivered >= 900/s'), inputs).passed).toBe(true);
  });
  it('a value that does not exist never passes', () => {
    expect(evaluateGate(gate('recovery.max < 15s'), inputs)).toMatchObject({ passed: false, value: null });
    expect(evaluateGate({ ...gate('lost == 0'), phase: 'recovery' }, undefined)).toMatchObject({ passed: false, error: expect.stringMatching(/did not happen/) });
  });
  it('gates on what the clients reported: counted with no events sent too, never needing deliveries', () => {
    const g = gate('rebalances <= 3');
    expect(g).toMatchObject({ kind: 'count', metric: 'rebalances' });
    expect(needsDeliveries(g)).toBe(false);
    const none = { ...inputs, counts: { ...inputs.counts, attempted: 0, rebalances: 4 } };
    expect(evaluateGate(g, none)).toMatchObject({ value: 4, passed: false, verdict: false });
    expect(evaluateGate(gate('crashes == 0'), { ...inputs, counts: { ...inputs.counts, crashes: 0 } })).toMatchObject({ value: 0, passed: true });
  });
  it('gates on the broker-reported lag: a number of events, and no samples is unknown, never a pass', () => {
    expect(gate('lag.max < 1000')).toMatchObject({ kind: 'lag', threshold: 1000 });
    expect(parseGate('lag.p99 < 10')).toMatch(/unknown metric/);
    expect(parseGate('lag.max < 2s')).toMatch(/a number of events/);
    expect(evaluateGate(gate('lag.final == 0'), { ...inputs, lag: { max: 840, final: 0 } })).toMatchObject({ value: 0, passed: true });
    expect(evaluateGate(gate('lag.max < 500'), { ...inputs, lag: { max: 840, final: 0 } })).toMatchObject({ value: 840, passed: false, verdict: false });
    const none = evaluateGate(gate('lag.max < 500'), { ...inputs, lag: { max: null, final: null, why: 'MQTT has no standard way' } }, undefined, 'fault-1');
    expect(none).toMatchObject({ passed: false, verdict: 'unknown', error: expect.stringMatching(/no lag samples in phase fault-1 \(MQTT/) });
  });
});
