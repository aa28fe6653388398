// Poison events: the ones a consumer cannot handle. Which events are poison follows from the seed and
// each event's producer and sequence number alone, so the checker knows them without being told.
// The consumer fails each one `attempts` times (in process, with a backoff, as Spring Kafka's
// DefaultErrorHandler or a retrying handler would), then publishes it to the dead-letter queue and
// acknowledges it, acknowledges it unhandled (drop), or keeps failing on it (block).
import type { Clock } from '../clock.js';
import { emptyEnvelope, readEnvelope } from '../observe/envelope.js';
import { isPoison } from '../plan/poison.js';
import type { Scenario } from '../scenario/schema.js';

export type PoisonPolicy = NonNullable<Scenario['consumer']['poison']>;

/** Publishes an event to subscription s's dead-letter queue; true once the broker acknowledged it. */
export type DeadLetter = (payload: Uint8Array, subscription: number) => Promise<boolean>;

export class PoisonHandler {
  readonly counts = { poisonAttempts: 0, deadLetterPublished: 0, deadLetterRetries: 0, poisonDropped: 0, poisonBlocked: 0 };
  private readonly env = emptyEnvelope();

  constructor(
    private readonly policy: PoisonPolicy,
    private readonly seed: number,
    private readonly runTag: number,
    private readonly clock: Clock,
    private readonly deadLetter: DeadLetter,
    /** False once the run is over: a blocked member stops retrying. */
    private readonly running: () => boolean,
  ) {}

  /** Whether this delivery is one of this run's poison events. */
  test(payload: Uint8Array): boolean {
    const env = this.env;
    return !readEnvelope(payload, env) && env.runTag === this.runTag && isPoison(this.seed, env.producer, env.seq, this.policy.fraction);
  }

  /** Fails the event `attempts` times, then settles its fate; resolves when it may be acknowledged (never, under block). */
  async handle(payload: Uint8Array, subscription: number): Promise<void> {
    const p = this.policy;
    for (let a = 0; a < p.attempts; a++) {
      this.counts.poisonAttempts++;
      await this.clock.sleep(p.backoff);
    }
    if (p.then === 'drop') {
      this.counts.poisonDropped++;
      return;
    }
    if (p.then === 'block') {
      this.counts.poisonBlocked++;
      while (this.running()) {
        this.counts.poisonAttempts++;
        await this.clock.sleep(Math.max(p.backoff, 10));
      }
      return new Promise(() => undefined);
    }
    // Dead-letter: acknowledged only once the dead-letter queue has it (a failed publish is retried,
    // as the original would be redelivered if the consumer died meanwhile).
    while (!(await this.deadLetter(payload, subscription))) {
      this.counts.deadLetterRetries++;
      if (!this.running()) return new Promise(() => undefined);
      await this.clock.sleep(Math.max(p.backoff, 100));
    }
    this.counts.deadLetterPublished++;
  }
}
