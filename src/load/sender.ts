// The send loop of one producer: takes intended send times from its schedule, batches what is due,
// and never skips an event when it falls behind (the lateness shows as schedule lag and e2e latency).
import { settleWithin } from '../timeout.js';
import type { Clock, Random } from '../clock.js';
import type { OutgoingEvent, Producer } from '../adapters/types.js';
import { keyName } from '../observe/envelope.js';
import { OUTCOME_CODE, Outcome } from '../observe/outcome.js';
import type { Recorder } from '../observe/recorder.js';
import { EventFactory } from './events.js';
import type { OpenLoopSchedule } from './schedules.js';

/** One event on its way out; its idempotency key is a string only for the adapters that ask for it. */
class Outgoing implements OutgoingEvent {
  partition = -1;
  position = -1;
  constructor(
    readonly key: string,
    readonly payload: Uint8Array,
    private readonly runId: string,
    private readonly producer: number,
    private readonly seq: number,
  ) {}
  get idempotencyKey(): string {
    return `${this.runId}:${this.producer}:${this.seq}`;
  }
}

export interface SenderOptions {
  id: number;
  producer: Producer;
  recorder: Recorder;
  clock: Clock;
  rng: Random;
  runId: string;
  runTag: number;
  startAt: number;
  /** Open loop: the schedule; closed loop: null and `closedInFlight`. */
  schedule: OpenLoopSchedule | null;
  closedInFlight: number;
  endAt: number;
  keys: { count: number; distribution: 'uniform' | 'zipf'; exponent: number };
  size: { min: number; max: number };
  batchSize: number;
  lingerMs: number;
  maxInFlight: number;
}

export class Sender {
  private stopped = false;
  private inFlight = 0;
  private waiter: (() => void) | null = null;
  /** Sends awaiting an answer, by batch: `settle` records those never answered as such. */
  private readonly pending = new Map<Promise<void>, () => void>();
  /** Next sequence number = events attempted by this producer. */
  private seq = 0;
  private readonly events: EventFactory;

  constructor(private readonly o: SenderOptions) {
    this.events = new EventFactory(o.rng, o.keys, o.size);
  }

  /** Stops producing new events; in-flight sends still settle. */
  stop(): void {
    this.stopped = true;
    this.wake();
  }

  /** Runs until the load is over or stopped, then waits for in-flight sends (at most `settleMs`). */
  async run(settleMs: number): Promise<void> {
    if (this.o.schedule) await this.openLoop(this.o.schedule);
    else await this.closedLoop();
    await this.settle(settleMs);
  }

  private async openLoop(schedule: OpenLoopSchedule): Promise<void> {
    const { clock, startAt, batchSize, lingerMs, maxInFlight } = this.o;
    let next = schedule.next();
    const batch: number[] = [];
    while (!this.stopped && next !== Infinity) {
      const now = clock.now() - startAt;
      if (next > now) {
        await clock.sleep(Math.min(next - now, 100));
        continue;
      }
      if (this.inFlight >= maxInFlight) {
        await this.slot();
        continue;
      }
      if (lingerMs > 0 && now - next < lingerMs && batch.length === 0) {
        // Wait until the first due event has lingered long enough, unless a full batch is due sooner.
        await clock.sleep(lingerMs - (now - next));
      }
      const limit = Math.min(batchSize, maxInFlight - this.inFlight);
      const horizon = clock.now() - startAt;
      while (next <= horizon && batch.length < limit) {
        batch.push(startAt + next);
        next = schedule.next();
      }
      this.sendBatch(batch);
      batch.length = 0;
    }
  }

  private async closedLoop(): Promise<void> {
    const { clock, batchSize, closedInFlight, endAt } = this.o;
    const batch: number[] = [];
    while (!this.stopped && clock.now() < endAt) {
      const room = closedInFlight - this.inFlight;
      if (room <= 0) {
        await this.slot();
        continue;
      }
      const now = clock.now();
      for (let i = Math.min(room, batchSize); i > 0; i--) batch.push(now);
      this.sendBatch(batch);
      batch.length = 0;
      // Let acks and deliveries run between batches.
      if (this.inFlight >= closedInFlight) await this.slot();
    }
  }

  private sendBatch(intended: number[]): void {
    const { recorder, clock, id, runTag, runId } = this.o;
    const n = intended.length;
    if (n === 0) return;
    const events: OutgoingEvent[] = new Array(n);
    const first = this.seq;
    const keys = new Uint32Array(n);
    const times = Float64Array.from(intended);
    const sentAt = clock.now();
    for (let i = 0; i < n; i++) {
      const seq = this.seq++;
      const { key, payload } = this.events.next(runTag, id, seq, intended[i]);
      events[i] = new Outgoing(keyName(key), payload, runId, id, seq);
      keys[i] = key;
    }
    recorder.sent(id, n);
    this.inFlight += n;
    let answered = false;
    const settle = (outcomes: readonly string[] | null, ackAt: number) => {
      if (answered) return;
      answered = true;
      for (let i = 0; i < n; i++) {
        const code = outcomes === null ? Outcome.indeterminate : (OUTCOME_CODE[outcomes[i] as keyof typeof OUTCOME_CODE] ?? Outcome.indeterminate);
        recorder.settled(id, first + i, keys[i], code, times[i], sentAt, ackAt);
        const ev = events[i];
        if (code === Outcome.ok && ev.position! >= 0) recorder.placed(id, first + i, keys[i], ev.partition!, ev.position!);
      }
    };
    const done = this.o.producer.send(events).then(
      (outcomes) => settle(outcomes, clock.now()),
      () => settle(null, clock.now()),
    );
    const tracked = done.finally(() => {
      this.inFlight -= n;
      this.pending.delete(tracked);
      this.wake();
    });
    // Given up on at the end of the run: recorded as never answered (indeterminate), a later answer ignored.
    this.pending.set(tracked, () => {
      if (answered) return;
      answered = true;
      for (let i = 0; i < n; i++) recorder.settled(id, first + i, keys[i], Outcome.pending, times[i], sentAt, NaN);
    });
  }

  private slot(): Promise<void> {
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Waits for in-flight sends; those still unanswered after `ms` stay pending (counted indeterminate). */
  private async settle(ms: number): Promise<void> {
    if (this.pending.size === 0) return;
    await settleWithin(ms, Promise.allSettled([...this.pending.keys()]));
    this.abandon();
  }

  /** Records every send still unanswered as never answered (the run ends without waiting for them). */
  abandon(): void {
    for (const giveUp of this.pending.values()) giveUp();
  }
}
