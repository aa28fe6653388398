import { describe, expect, it } from 'vitest';
import { checkDelivery } from '../check/delivery.js';
import { systemClock } from '../clock.js';
import { ENVELOPE_BYTES, runTagOf, writeEnvelope } from './envelope.js';
import { initHistograms } from './histograms.js';
import { Ledger, Outcome } from './ledger.js';
import { Recorder } from './recorder.js';

describe('ledger', () => {
  it('counts a phantom write and a never-sent event as unexpected, and a redelivery as a duplicate, not a reorder', () => {
    const l = new Ledger({ producers: 1, subscriptions: 1, keys: 2, expectedPerProducer: 10 });
    for (let i = 0; i < 4; i++) l.attempt(0);
    l.settle(0, 0, Outcome.ok);
    l.settle(0, 1, Outcome.failed);
    l.settle(0, 2, Outcome.ok);
    l.settle(0, 3, Outcome.indeterminate);
    expect(l.deliver(0, 0, 2, 0)).toBe(1);
    expect(l.deliver(0, 0, 0, 0)).toBe(1); // after seq 2 of the same key: reordered
    expect(l.deliver(0, 0, 2, 0)).toBe(2); // redelivery: duplicate only
    expect(l.deliver(0, 0, 1, 1)).toBe(0); // refused by the broker, yet delivered
    expect(l.deliver(0, 0, 9, 1)).toBe(0); // never sent
    expect(l.deliver(0, 0, 3, 1)).toBe(1); // indeterminate, then delivered: recovered
    const v = checkDelivery(l);
    expect(v.counts).toMatchObject({ attempted: 4, acked: 2, failed: 1, indeterminate: 1, delivered: 3, lost: 0, duplicated: 1, duplicateDeliveries: 1, reordered: 1, unexpected: 2, recovered: 1 });
  });

  it('splits lost events into before the first, between, and after the last delivery', () => {
    const l = new Ledger({ producers: 1, subscriptions: 1, keys: 1, expectedPerProducer: 10 });
    for (let i = 0; i < 10; i++) l.settle(0, l.attempt(0), Outcome.ok);
    for (const seq of [2, 3, 6]) l.deliver(0, 0, seq, 0);
    expect(checkDelivery(l).lostSplit).toEqual({ beforeFirstDelivery: 2, betweenDeliveries: 2, afterLastDelivery: 3 });
  });

  it('an unreadable envelope and another run’s event never crash the consumer', async () => {
    await initHistograms();
    const rec = new Recorder({ clock: systemClock, runTag: runTagOf('me'), phases: [{ name: 'baseline', startMs: 0, endMs: 1000 }], excluded: new Set(), dedupeEffects: false, producers: 1, subscriptions: 1, keys: 1, expectedPerProducer: 1 });
    rec.delivered(new Uint8Array([1, 2, 3]), 0);
    rec.delivered(new Uint8Array(ENVELOPE_BYTES).fill(7), 0);
    const other = new Uint8Array(ENVELOPE_BYTES);
    writeEnvelope(other, runTagOf('someone else'), 0, 0, 0, systemClock.now());
    rec.delivered(other, 0);
    expect(rec.ledger.unexpected[0]).toBe(2);
    expect(rec.ledger.foreign).toBe(1);
    rec.destroy();
  });

  it('tracks 10 million events in at most 16 bytes each', () => {
    const N = 10_000_000;
    const before = process.memoryUsage().arrayBuffers;
    const l = new Ledger({ producers: 4, subscriptions: 1, keys: 1000, expectedPerProducer: N / 4 });
    for (let i = 0; i < N; i++) {
      const p = i & 3;
      const seq = l.attempt(p);
      l.settle(p, seq, Outcome.ok);
      l.deliver(0, p, seq, seq % 1000);
      l.applyEffect(0, p, seq);
    }
    const grown = process.memoryUsage().arrayBuffers - before;
    const perEvent = grown / N;
    console.log(`ledger: ${N.toLocaleString('en-US')} events, ${(grown / 1e6).toFixed(1)} MB of typed arrays, ${perEvent.toFixed(2)} bytes/event (ledger.bytes() ${(l.bytes() / N).toFixed(2)})`);
    expect(checkDelivery(l).counts).toMatchObject({ attempted: N, delivered: N, lost: 0 });
    expect(perEvent).toBeLessThanOrEqual(16);
  });
});
