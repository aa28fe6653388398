// The checkers never lie about delivery: the memory broker injects drops, duplicates, reorders and
// failed or lost acks (seeded), counts each itself, and the verdicts must equal those counts exactly.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../run/index.js';
import { parseScenario } from '../scenario/load.js';

async function runWith(knobs: string, extra = '', workload = '{ producers: 2, consumers: 2, rate: 3k/s, duration: 1500ms, message: { keys: { count: 20 } } }', seed = 7) {
  const text = `
name: checker-${knobs.replace(/[^a-z]/g, '') || 'clean'}
seed: ${seed}
targets:
  mem: { adapter: memory, partitions: 3, ${knobs} }
workload: ${workload}
drain: { quiet: 300ms, deadline: 2s }
${extra}`;
  const { scenario } = parseScenario(text, 'inline.yaml');
  return (await runScenario(scenario, { write: false })).result;
}

describe('delivery checkers against a deliberately faulty broker', () => {
  it('a clean broker: every event delivered once, in order, nothing else', async () => {
    const r = await runWith('drop: 0', 'expect: { ordering: per-key }');
    expect(r.counts.attempted).toBeGreaterThan(4000);
    expect(r.counts).toMatchObject({ acked: r.counts.attempted, delivered: r.counts.attempted, lost: 0, duplicated: 0, reordered: 0, unexpected: 0, recovered: 0, nonmonotonic: 0, redelivered: 0, readGaps: 0 });
  });

  it('drops: lost equals what the broker dropped, split before/between/after deliveries', async () => {
    const r = await runWith('drop: 2%');
    expect(r.adapterStats.dropped).toBeGreaterThan(20);
    expect(r.counts.lost).toBe(r.adapterStats.dropped);
    const s = r.lostSplit;
    expect(s.beforeFirstDelivery + s.betweenDeliveries + s.afterLastDelivery).toBe(r.counts.lost);
    expect(r.samples.lost.length).toBe(Math.min(100, r.counts.lost));
    // when each lost event was meant to be sent, within the load
    expect(r.samples.lost.every((x) => x.sentMs! >= 0 && x.sentMs! <= 1500)).toBe(true);
    // the final read found exactly what the broker kept: every event written but the dropped ones
    expect(r.finalRead).toMatchObject({ complete: true, events: r.adapterStats.written - r.adapterStats.dropped - r.adapterStats.droppedUnacked });
    expect(r.counts.unseen).toBe(0);
  });

  it('a consumer stuck with nothing in the scenario to explain it: what the broker holds is unseen, never lost, and the verdict unknown', async () => {
    const r = await runWith('stall: 500ms');
    // member 0 takes nothing after 500 ms: its partitions' events stay in the broker
    expect(r.counts.unseen).toBeGreaterThan(500);
    expect(r.counts.lost).toBe(0);
    // the checker's count (final read) and the broker's own (its backlog after the drain) agree
    expect(r.lag?.final).toBe(r.counts.unseen);
    // never fetched: the group's committed position never passed them
    expect(r.counts.skipped).toBe(0);
    expect(r.verdicts?.delivery).toMatchObject({ valid: 'unknown' });
    expect(r.verdicts?.delivery.why).toMatch(/unseen/);
    // the members that stalled are named, with what they had been reading
    expect(r.verdicts?.delivery.why).toMatch(/s0\/m0 read nothing (after \d+\.\d s \(it had been reading partitions? [0-9, ]+\)|at all)/);
    expect(r.verdicts?.delivery.why).not.toMatch(/s0\/m1 read nothing/);
    // with what the broker still held for the group
    expect(r.verdicts?.delivery.why).toContain(`; the broker held ${r.lag?.final} undelivered at the end)`);
    expect(r.status).toBe('failed');
  });

  it('a member that stops reading inside a consumer pause the scenario schedules is the scenario’s own fault: judged as usual, nothing unseen, no member named', async () => {
    const r = await runWith('drop: 0', 'faults: [{ at: 300ms, for: 900ms, consumer: { pause: 0 } }]');
    expect(r.faults[0]).toMatchObject({ kind: 'consumer', applied: true, healed: true, members: ['s0/m0'] });
    expect(r.counts).toMatchObject({ lost: 0, unseen: 0, delivered: r.counts.acked });
    expect(r.verdicts?.delivery).toMatchObject({ valid: true });
  });

  it('without a final read: never-delivered events the broker still holds are not called lost; a drop it does not hold is', async () => {
    const stalled = await runWith('stall: 500ms, readBack: false', 'gates: [unseen == 0, readGaps == 0, nonmonotonic == 0]');
    expect(stalled.finalRead).toMatchObject({ complete: false, source: null });
    // what only a final read measures reads 0 without one, and a gate over it has no data: never a pass
    expect(stalled.gates.map((g) => [g.expr, g.verdict])).toEqual([
      ['unseen == 0', 'unknown'],
      ['readGaps == 0', 'unknown'],
      ['nonmonotonic == 0', true],
    ]);
    expect(stalled.gates[0].error).toMatch(/no data: unseen: no final read/);
    expect(stalled.counts.lost).toBeGreaterThan(500);
    // what was never delivered is exactly the broker's backlog after the drain
    expect(stalled.lag?.final).toBe(stalled.counts.lost);
    expect(stalled.verdicts?.delivery).toMatchObject({ valid: 'unknown', why: expect.stringMatching(/not proven lost/) });
    // a read that stopped short (partition 0 of 3) measures no better: its 0s are no evidence either
    const partial = await runWith('skip: 2%, readBack: partial', 'gates: [unseen == 0, skipped == 0, overwritten == 0]');
    expect(partial.finalRead).toMatchObject({ complete: false });
    expect(partial.gates.map((g) => g.verdict)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(partial.gates[2].error).toMatch(/no data: overwritten: the final read was incomplete \(readBack: partial/);
    const dropped = await runWith('drop: 2%, readBack: false');
    expect(dropped.counts.lost).toBe(dropped.adapterStats.dropped);
    expect(dropped.lag?.final).toBe(0);
    expect(dropped.verdicts?.delivery).toMatchObject({ valid: false });
  });

  it.each([
    [7, 1],
    [8, 2],
  ])('skips (seed %i, %i subscriptions): events a member took and never handed over are unseen, exactly as many as the broker skipped', async (seed, subscriptions) => {
    const r = await runWith('skip: 2%', '', `{ producers: 2, consumers: 2, subscriptions: ${subscriptions}, rate: 3k/s, duration: 1500ms, message: { keys: { count: 20 } } }`, seed);
    expect(r.adapterStats.skipped).toBeGreaterThan(30);
    expect(r.counts.unseen).toBe(r.adapterStats.skipped);
    // all below the group's committed position: skipped, none never fetched
    expect(r.counts.skipped).toBe(r.adapterStats.skipped);
    // the ones a member went past between two of its reads (not at the edge of its time with the
    // partition): read gaps, each sampled with the reads either side and the position gone past
    expect(r.adapterStats.skippedBetweenReads).toBeGreaterThan(20);
    expect(r.counts.readGaps).toBe(r.adapterStats.skippedBetweenReads);
    for (const g of r.samples.readGaps.slice(0, 5)) {
      const [[p0, before], [p1, gone], [p2, after]] = g.at!;
      expect([p1, p2]).toEqual([p0, p0]);
      expect(before < gone && gone < after).toBe(true);
      expect(g.member).toMatch(/^s\d\/m[01]$/);
    }
    expect(r.counts.lost).toBe(0);
    expect(r.verdicts?.delivery).toMatchObject({ valid: 'unknown' });
  });

  it('duplicates: duplicated events and extra deliveries equal what the broker duplicated', async () => {
    const r = await runWith('duplicate: 3%');
    expect(r.adapterStats.duplicated).toBeGreaterThan(30);
    expect(r.counts.duplicated).toBe(r.adapterStats.duplicated);
    expect(r.counts.duplicateDeliveries).toBe(r.adapterStats.duplicated);
    // redelivered, not written twice: read again from the same position, and the final read finds each event at one position
    expect(r.counts.redelivered).toBe(r.adapterStats.duplicated);
    expect(r.samples.redelivered.every((s) => s.at?.length === 1)).toBe(true);
    // each sample says who read it again and when, after it was sent
    for (const s of r.samples.redelivered.slice(0, 5)) {
      expect(s.member).toMatch(/^s0\/m[01]$/);
      expect(s.readMs).toBeGreaterThanOrEqual(s.sentMs!);
    }
    expect(r.counts.duplicateWrites).toBe(0);
    expect(r.counts.reordered).toBe(0);
    expect(r.counts.lost).toBe(0);
  });

  it.each([7, 8])('duplicate writes (seed %i): events the final read finds at two positions equal what the broker wrote twice, apart from redeliveries', async (seed) => {
    const r = await runWith('duplicate: 2%, duplicateWrites: 2%', '', undefined, seed);
    const { duplicated, duplicateWrites, written } = r.adapterStats;
    expect(duplicateWrites).toBeGreaterThan(30);
    expect(r.counts.duplicateWrites).toBe(duplicateWrites);
    expect(r.counts.redelivered).toBe(duplicated);
    // each written-twice copy and each redelivery is one extra delivery
    expect(r.counts.duplicateDeliveries).toBe(duplicated + duplicateWrites);
    expect(r.finalRead).toMatchObject({ complete: true, events: written + duplicateWrites });
    for (const s of r.samples.duplicateWrites) {
      expect(s.at).toHaveLength(2);
      expect(s.at![0][0]).toBe(s.at![1][0]);
      expect(s.at![0][1]).not.toBe(s.at![1][1]);
    }
    expect(r.counts.lost).toBe(0);
  });

  it('reorders: reordered equals what the broker reordered', async () => {
    const r = await runWith('reorder: 2%', 'expect: { ordering: per-key }');
    expect(r.adapterStats.reordered).toBeGreaterThan(20);
    expect(r.counts.reordered).toBe(r.adapterStats.reordered);
    // a held event handed out after later ones of its partition is a read going backwards, as the broker counted
    expect(r.adapterStats.backwards).toBeGreaterThanOrEqual(r.adapterStats.reordered);
    expect(r.counts.nonmonotonic).toBe(r.adapterStats.backwards);
    expect(r.counts.lost).toBe(0);
    expect(r.counts.duplicated).toBe(0);
  });

  it('refused sends are failed and never delivered; lost acks are indeterminate and recovered', async () => {
    const r = await runWith('failAcks: 2%, lostAcks: 3%');
    expect(r.counts.failed).toBe(r.adapterStats.failedAcks);
    expect(r.counts.indeterminate).toBe(r.adapterStats.lostAcks);
    expect(r.counts.recovered).toBe(r.adapterStats.lostAcks);
    expect(r.counts.unexpected).toBe(0);
    expect(r.counts.lost).toBe(0);
  });

  it('all faults at once, on two subscriptions each checked on its own', async () => {
    const r = await runWith('drop: 1%, duplicate: 1%, duplicateWrites: 1%, reorder: 1%, failAcks: 1%, lostAcks: 1%', '', '{ producers: 2, consumers: 2, subscriptions: 2, rate: 3k/s, duration: 1500ms, message: { keys: { count: 20 } } }');
    expect(r.subscriptions).toHaveLength(2);
    expect(r.counts.duplicateWrites).toBe(r.adapterStats.duplicateWrites);
    expect(r.counts.redelivered).toBe(r.adapterStats.duplicated);
    expect(r.counts.lost).toBe(r.adapterStats.dropped);
    expect(r.counts.duplicateDeliveries).toBe(r.adapterStats.duplicated + r.adapterStats.duplicateWrites);
    expect(r.counts.reordered).toBe(r.adapterStats.reordered);
    expect(r.counts.failed).toBe(r.adapterStats.failedAcks);
    // out of order, twice, dropped or written twice: every position the log holds was read, so no read gaps
    expect(r.counts.readGaps).toBe(0);
    // a dropped indeterminate event is simply not recovered
    expect(r.counts.recovered).toBe(2 * r.adapterStats.lostAcks - (r.adapterStats.droppedUnacked ?? 0));
  });

  it.each([
    [7, 1],
    [8, 2],
  ])('the broker killed while the consumers lag (seed %i, %i subscriptions): without persistence, lost equals what it forgot; sends refused while down are failed; with persistence, nothing lost', async (seed, subscriptions) => {
    const workload = `{ producers: 1, consumers: 2, subscriptions: ${subscriptions}, rate: 2k/s, duration: 1500ms, warmup: 0s }`;
    const lagging = 'consumer: { processing: { delay: 2ms } }\nfaults: [{ at: 700ms, for: 200ms, kill: memory }]';
    const r = await runWith('persistence: false, prefetch: 5', lagging, workload, seed);
    expect(r.faults[0]).toMatchObject({ kind: 'kill', target: 'memory', applied: true, healed: true });
    expect(r.adapterStats.wiped).toBeGreaterThan(100);
    expect(r.counts.lost).toBe(r.adapterStats.wiped);
    expect(r.counts.failed).toBe(r.adapterStats.refused);
    expect(r.counts.failed).toBeGreaterThan(0);
    expect(r.verdicts?.delivery).toMatchObject({ valid: false });
    // with persistence the backlog survives the kill: what the drain did not reach is in the log (unseen), none lost
    const kept = await runWith('persistence: true, prefetch: 5', lagging, workload, seed);
    expect(kept.adapterStats.refused).toBeGreaterThan(0);
    expect(kept.adapterStats.wiped).toBe(0);
    expect(kept.counts.lost).toBe(0);
    expect(kept.counts.unseen).toBeGreaterThan(0);
    expect(kept.counts.unseen).toBeLessThanOrEqual(kept.lag!.final!);
  });

  it('effects: duplicates without de-duplication are idempotency violations; with it, none', async () => {
    const naive = await runWith('duplicate: 3%', 'expect: { effects: exactly-once }\neffects: { dedupe: false }');
    expect(naive.counts.idempotencyViolations).toBe(naive.adapterStats.duplicated);
    expect(naive.counts.idempotencyViolations).toBeGreaterThan(0);
    const deduped = await runWith('duplicate: 3%', 'expect: { effects: exactly-once }\neffects: { dedupe: true }');
    expect(deduped.adapterStats.duplicated).toBeGreaterThan(0);
    expect(deduped.counts.idempotencyViolations).toBe(0);
    expect(deduped.counts.effects).toBe(deduped.counts.delivered);
  });

  it('the same seed gives the same faults', async () => {
    const a = await runWith('drop: 2%, duplicate: 2%');
    const b = await runWith('drop: 2%, duplicate: 2%');
    expect(a.counts.attempted).toBeGreaterThan(0);
    expect({ d: a.adapterStats.dropped, u: a.adapterStats.duplicated }).toEqual({ d: b.adapterStats.dropped, u: b.adapterStats.duplicated });
  });
});
