// What a run talks to: the target's adapter, in pipeline mode the adapter faultline consumes the
// service's reports from, and the dead-letter queues of poison events. Set up before the load, and
// at the end counted (adapter stats, environment) and torn down, each step bounded in time.
import { loadAdapter } from '../adapters/registry.js';
import type { Adapter, AdapterContext } from '../adapters/types.js';
import { DeadLetterQueues } from '../load/dead-letters.js';
import type { RunPlan } from '../plan/plan.js';
import type { RunEnd } from '../observe/notes.js';
import type { Scenario } from '../scenario/schema.js';
import { settleWithin } from '../timeout.js';

export class Targets {
  private readonly stats: (() => Record<string, number>)[] = [];

  private constructor(
    readonly adapter: Adapter,
    /** Pipeline mode: a service under test consumes the target; faultline consumes what it reports. */
    readonly output: Adapter | null,
    /** Poison events dead-lettered: per subscription, a dead-letter queue on the broker faultline consumes from. */
    readonly deadLetters: DeadLetterQueues | null,
  ) {}

  static async load(scenario: Scenario, plan: RunPlan, context: (suffix: string) => AdapterContext): Promise<Targets> {
    const adapter = await loadAdapter(plan.target, context(''));
    const output = scenario.pipeline ? await loadAdapter(scenario.pipeline.output, context('-out')) : null;
    const deadLetters = scenario.consumer.poison?.then === 'dead-letter' ? await DeadLetterQueues.load(scenario.pipeline?.output ?? plan.target, scenario.workload.subscriptions, context) : null;
    return new Targets(adapter, output, deadLetters);
  }

  /** The adapter faultline's consumers read from. */
  get consumed(): Adapter {
    return this.output ?? this.adapter;
  }

  async setup(): Promise<void> {
    await this.adapter.setup();
    await this.output?.setup();
    await this.deadLetters?.setup();
  }

  /** More counts for the end note's adapterStats (HTTP answers, poison handling). */
  countAlso(stats: () => Record<string, number>): void {
    this.stats.push(stats);
  }

  /** What the adapters counted and the environment, taken before the topology is torn down; then tears it down. */
  async close(): Promise<Pick<RunEnd, 'adapterStats' | 'environment'>> {
    const adapterStats = Object.assign({}, this.adapter.stats?.(), this.output?.stats?.(), ...this.stats.map((s) => s()));
    const environment = await settleWithin(3000, this.adapter.environment?.());
    await settleWithin(10_000, this.adapter.teardown());
    if (this.output) await settleWithin(10_000, this.output.teardown());
    await this.deadLetters?.teardown();
    return { adapterStats, ...(environment ? { environment } : {}) };
  }
}
