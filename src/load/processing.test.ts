// Consumer faults and slow consumers on the memory broker: a member killed, paused, stalled or
// restarted loses nothing (what it had not acknowledged goes back to the others), and the fault log
// names the members hit.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../run/index.js';
import { scenarioSchema } from '../scenario/schema.js';
import { isPoison } from '../plan/poison.js';

describe('consumer faults on the memory broker', () => {
  it('kill, pause, stall and restart members with a processing delay: nothing lost, the members named', async () => {
    const scenario = scenarioSchema.parse({
      name: 'members',
      targets: { m: { adapter: 'memory' } },
      workload: { consumers: 2, rate: '300/s', duration: '9s' },
      consumer: { processing: { delay: 'uniform 1ms..3ms' } },
      faults: [
        // member 0 takes nothing for a second while the broker hands it its partitions' events, then
        // is killed 100 ms into working off that backlog (about 150 events, 1–3 ms each): events in hand
        { at: '1s', for: '1s', consumer: { pause: 0 } },
        { at: '2100ms', for: '800ms', consumer: { kill: 0 } },
        { at: '3s', for: '1500ms', consumer: { pause: 1 } },
        { at: '5s', for: '1500ms', consumer: { stall: 'all' } },
        { at: '7500ms', consumer: { restart: 'all' } },
      ],
    });
    const { result } = await runScenario(scenario, { write: false });
    expect(result.faults.map((f) => [f.label, f.members, f.applied, f.healed])).toEqual([
      ['consumer', ['s0/m0'], true, true],
      ['consumer', ['s0/m0'], true, true],
      ['consumer', ['s0/m1'], true, true],
      ['consumer', ['s0/m0', 's0/m1'], true, true],
      ['consumer', ['s0/m0', 's0/m1'], true, true],
    ]);
    // the member killed while working off its paused second had events in hand: they went back to the queue
    expect(result.adapterStats.requeued).toBeGreaterThan(50);
    expect(result.counts.lost).toBe(0);
    expect(result.counts.delivered).toBe(result.counts.acked);
    // member 1 paused from 3 s to 4.5 s: its partitions wait (the memory broker keeps handing them to it),
    // so about half as many deliveries in the second from 3 to 4 s as in the first, and the rest
    // caught up after the window (intervals are by delivery time; t is the end of each second)
    const delivered = (t: number) => result.intervals.find((i) => i.t === t)!.delivered;
    expect(delivered(4)).toBeLessThan(0.75 * delivered(1));
    expect(delivered(5) + delivered(6)).toBeGreaterThan(2.4 * delivered(1));
  }, 30_000);
});

describe('poison events on the memory broker', () => {
  // One run per fate: the ledger must report exactly the poison events the seed chose.
  const run = (then: 'dead-letter' | 'drop') =>
    runScenario(
      scenarioSchema.parse({
        name: `poison-${then}`,
        seed: 21,
        targets: { m: { adapter: 'memory' } },
        workload: { consumers: 2, subscriptions: 2, rate: '500/s', duration: '3s' },
        consumer: { poison: { fraction: '2%', attempts: 2, backoff: '1ms', then } },
        drain: { quiet: '300ms', deadline: '2s' },
      }),
      { write: false },
    );
  it('dead-letter: every poison event reaches its subscription’s dead-letter queue, none lost; drop: exactly those are unseen (the broker still has them), none lost', async () => {
    const [dead, dropped] = await Promise.all([run('dead-letter'), run('drop')]);
    for (const { result } of [dead, dropped]) expect(result.counts.acked).toBe(result.counts.attempted);
    // the seed's poison events among those sent, for each of the 2 subscriptions
    const expected = (attempted: number) => 2 * Array.from({ length: attempted }, (_, seq) => isPoison(21, 0, seq, 0.02)).filter(Boolean).length;
    const d = dead.result;
    expect(expected(d.counts.attempted)).toBeGreaterThan(20);
    // deadLettered comes from what the dead-letter queues delivered; the seed's count is found here
    expect(d.counts).toMatchObject({ lost: 0, deadLettered: expected(d.counts.attempted) });
    expect(d.adapterStats).toMatchObject({ deadLetterPublished: expected(d.counts.attempted), poisonAttempts: 2 * expected(d.counts.attempted) });
    const x = dropped.result;
    // the consumer acknowledged them unhandled: the final read finds them in the broker, so they are
    // unseen (the consumer's doing), not lost (the broker's)
    expect(x.counts).toMatchObject({ lost: 0, unseen: expected(x.counts.attempted), deadLettered: 0 });
    expect(x.samples.unseen.every((s) => isPoison(21, s.producer, s.seq, 0.02))).toBe(true);
  }, 30_000);
});

describe('consumer lag on the memory broker', () => {
  it('slowed members: the backlog builds in the window, drains after it, and lag gates judge each phase', async () => {
    const { result } = await runScenario(
      scenarioSchema.parse({
        name: 'slowed',
        targets: { m: { adapter: 'memory' } },
        workload: { consumers: 2, rate: '300/s', duration: '6s' },
        consumer: { processing: { delay: '1ms' } },
        faults: [{ at: '2s', for: '2s', consumer: { slow: 'all', delay: '20ms' } }],
        gates: ['lag.final == 0', { phase: 'fault-1', check: 'lag.max > 200' }, { phase: 'baseline', check: 'lag.max < 50' }],
      }),
      { write: false },
    );
    expect(result.lag?.source).toMatch(/queued/);
    // one sample a second from the load's start, and one after the drain
    expect(result.lag!.samples.length).toBeGreaterThanOrEqual(7);
    expect(result.gates.map((g) => [g.expr, g.passed])).toEqual([
      ['lag.final == 0', true],
      ['lag.max > 200', true],
      ['lag.max < 50', true],
    ]);
    expect(result.counts.lost).toBe(0);
  }, 30_000);
});
