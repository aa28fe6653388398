// Consumer faults and slow consumers on the memory broker: a member killed, paused, stalled or
// restarted loses nothing (what it had not acknowledged goes back to the others), and the fault log
// names the members hit.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../run.js';
import { scenarioSchema } from '../scenario/schema.js';

describe('consumer faults on the memory broker', () => {
  it('kill, pause, stall and restart members with a processing delay: nothing lost, the members named', async () => {
    const scenario = scenarioSchema.parse({
      name: 'members',
      targets: { m: { adapter: 'memory' } },
      workload: { consumers: 2, rate: '300/s', duration: '9s' },
      consumer: { processing: { delay: 'uniform 1ms..3ms' } },
      faults: [
        { at: '1s', for: '1500ms', consumer: { kill: 0 } },
        { at: '3s', for: '1500ms', consumer: { pause: 1 } },
        { at: '5s', for: '1500ms', consumer: { stall: 'all' } },
        { at: '7500ms', consumer: { restart: 'all' } },
      ],
    });
    const { result } = await runScenario(scenario, { write: false });
    expect(result.faults.map((f) => [f.label, f.members, f.applied, f.healed])).toEqual([
      ['consumer', ['s0/m0'], true, true],
      ['consumer', ['s0/m1'], true, true],
      ['consumer', ['s0/m0', 's0/m1'], true, true],
      ['consumer', ['s0/m0', 's0/m1'], true, true],
    ]);
    // the killed and restarted members had events in hand: they went back to the queue
    expect(result.adapterStats.requeued).toBeGreaterThan(0);
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
