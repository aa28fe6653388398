// The dead-letter queues of a run with poison events (consumer.poison then dead-letter): one per
// subscription, on the broker faultline consumes from, named after the run's resource. faultline
// publishes a subscription's poison events to its queue and consumes it too: what arrives there is
// the event's end for that subscription (the ledger's deadLettered).
import { loadAdapter } from '../adapters/registry.js';
import type { Adapter, AdapterContext, Producer } from '../adapters/types.js';
import type { TargetConfig } from '../adapters/configs.js';
import { withTimeout } from '../timeout.js';
import { emptyEnvelope, keyName, readEnvelope } from '../observe/envelope.js';
import type { DeadLetter } from './poison.js';

export class DeadLetterQueues {
  private readonly producers: Producer[] = [];

  private constructor(private readonly queues: Adapter[]) {}

  /** One queue per subscription; `context(suffix)` names it after the run's own resource. */
  static async load(target: TargetConfig, subscriptions: number, context: (suffix: string) => AdapterContext): Promise<DeadLetterQueues> {
    const queues: Adapter[] = [];
    for (let s = 0; s < subscriptions; s++) queues.push(await loadAdapter(target, { ...context(`-dlq${s}`), subscriptions: 1 }));
    return new DeadLetterQueues(queues);
  }

  async setup(): Promise<void> {
    for (const q of this.queues) await q.setup();
  }

  /** A producer and a consumer on each queue; `arrived(payload, subscription)` for each dead letter consumed. */
  async start(arrived: (payload: Uint8Array, subscription: number) => void): Promise<void> {
    for (let s = 0; s < this.queues.length; s++) {
      const sub = s;
      this.producers.push(await this.queues[s].createProducer(0));
      await this.queues[s].createConsumer({ subscription: 0, member: 0 }, (payload) => arrived(payload, sub));
      await this.queues[s].ready?.();
    }
  }

  /** Publishes an event to its subscription's queue: true once the broker acknowledged it. */
  publisher(runId: string): DeadLetter {
    const env = emptyEnvelope();
    return async (payload, s) => {
      readEnvelope(payload, env);
      const [outcome] = await this.producers[s].send([{ key: keyName(env.key), payload, idempotencyKey: `${runId}:dlq:${env.producer}:${env.seq}` }]);
      return outcome === 'ok';
    };
  }

  async closeProducers(): Promise<void> {
    for (const p of this.producers) await withTimeout(5000, p.close()).catch(() => undefined);
  }

  /** Deletes the queues and closes every connection. */
  async teardown(): Promise<void> {
    for (const q of this.queues) await withTimeout(10_000, q.teardown()).catch(() => undefined);
  }
}
