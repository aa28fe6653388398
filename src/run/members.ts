// The run's consumer members, by `s<subscription>/m<member>`: each one's handler (processing delay,
// poison events) and gate, and the control the nemesis's consumer faults act through (pause, stall,
// slow, kill; a new member in the place of a dead one).
import type { Consumer, DeliveryHandler } from '../adapters/types.js';
import type { Clock, Random } from '../clock.js';
import { MemberGate, processingHandler } from '../load/processing.js';
import { PoisonHandler } from '../load/poison.js';
import type { ConsumerControl } from '../nemesis/consumer-faults.js';
import { runTagOf } from '../observe/envelope.js';
import type { Recorder } from '../observe/recorder.js';
import type { Scenario } from '../scenario/schema.js';
import { settleWithin } from '../timeout.js';
import type { Targets } from './targets.js';

export class Members {
  private readonly members = new Map<string, { consumer: Consumer; gate: MemberGate }>();
  private generation = 0;
  private running = true;
  private readonly poison: PoisonHandler | undefined;

  private constructor(
    private readonly scenario: Scenario,
    private readonly targets: Targets,
    private readonly rec: Recorder,
    private readonly clock: Clock,
    private readonly rng: Random,
    seed: number,
    runId: string,
  ) {
    const policy = scenario.consumer.poison;
    const publish = targets.deadLetters?.publisher(runId) ?? (async () => false);
    this.poison = policy && new PoisonHandler(policy, seed, runTagOf(runId), clock, publish, () => this.running);
    if (this.poison) targets.countAlso(() => this.poison!.counts);
  }

  /** Every member this process owns, in every subscription, connected and ready. */
  static async start(scenario: Scenario, targets: Targets, rec: Recorder, o: { clock: Clock; rng: Random; seed: number; runId: string; owns: (m: number) => boolean }): Promise<Members> {
    const members = new Members(scenario, targets, rec, o.clock, o.rng, o.seed, o.runId);
    if (scenario.consumer.poison) await targets.deadLetters?.start(rec.deadLettered);
    const w = scenario.workload;
    for (let s = 0; s < w.subscriptions; s++) for (let m = 0; m < w.consumers; m++) if (o.owns(m)) await members.add(s, m);
    if (members.members.size) await targets.consumed.ready?.();
    return members;
  }

  private async add(s: number, m: number): Promise<void> {
    const gate = new MemberGate();
    // which member read it, and from where: the checker's redeliveries and nonmonotonic reads
    const record: DeliveryHandler = (payload, sub, partition, position) => this.rec.delivered(payload, sub, partition, position, m);
    const handler = processingHandler(record, this.scenario.consumer.processing.delay, this.clock, this.rng.fork(1000 + s * 1000 + m + 100_000 * this.generation++), gate, this.poison);
    this.members.set(`s${s}/m${m}`, { consumer: await this.targets.consumed.createConsumer({ subscription: s, member: m }, handler), gate });
  }

  control(): ConsumerControl {
    const members = this.members;
    return {
      select: (which) => [...members.keys()].filter((k) => which === 'all' || k.endsWith(`/m${which}`)),
      set: (keys, state) => keys.forEach((k) => members.get(k)?.gate.set(state)),
      slow: (keys, ms) => keys.forEach((k) => members.get(k) && (members.get(k)!.gate.extraDelayMs = ms)),
      kill: async (keys) => {
        for (const k of keys) {
          const member = members.get(k);
          member?.gate.set('dead');
          await settleWithin(5000, member?.consumer.crash ? member.consumer.crash() : member?.consumer.close());
        }
      },
      start: async (keys) => {
        for (const k of keys) {
          const [, s, m] = /^s(\d+)\/m(\d+)$/.exec(k)!.map(Number);
          await this.add(s, m);
        }
      },
    };
  }

  /** Closes every live member (a dead one was closed when it died); a blocked poison member stops retrying. */
  async close(): Promise<void> {
    this.running = false;
    for (const { consumer, gate } of this.members.values()) {
      if (gate.current === 'dead') continue;
      await settleWithin(5000, consumer.close());
      // what its handler still had queued is neither recorded nor acknowledged: the run's record is closing
      gate.set('dead');
    }
  }
}
