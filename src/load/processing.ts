// faultline's consumers as an application would be: each member handles one event at a time and takes
// `consumer.processing.delay` per event before the adapter acknowledges it, so a slow consumer makes
// lag build at the broker, where it is measured, rather than in faultline's memory. A member's gate is
// how consumer faults act on it: paused (takes nothing), stalled (takes, acknowledges nothing), dead.
import type { DeliveryHandler } from '../adapters/types.js';
import type { Clock, Random } from '../clock.js';
import type { PoisonHandler } from './poison.js';

export type MemberState = 'running' | 'paused' | 'stalled' | 'dead';

/** The state of one consumer member, and promises that wait for it to allow the next step. */
export class MemberGate {
  private state: MemberState = 'running';
  /** Added to each event's handling time (a `slow` consumer fault). */
  extraDelayMs = 0;
  private waiting: (() => void)[] = [];

  get current(): MemberState {
    return this.state;
  }

  set(state: MemberState): void {
    if (this.state === 'dead') return;
    this.state = state;
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  /** Resolves when the member may take an event (never, once dead). */
  untilTaking(): Promise<void> {
    return this.until((s) => s === 'running' || s === 'stalled');
  }

  /** Resolves when the member may acknowledge (never, once dead). */
  untilAcking(): Promise<void> {
    return this.until((s) => s === 'running');
  }

  private until(ok: (s: MemberState) => boolean): Promise<void> {
    // a dead member's events are neither recorded nor acknowledged: its promise never settles
    return new Promise((resolve) => {
      const check = () => (ok(this.state) ? resolve() : this.state !== 'dead' && this.waiting.push(check));
      check();
    });
  }
}

/**
 * The handler one consumer member calls per delivery. While the member runs without a processing
 * delay it records the event and returns nothing (the adapter acknowledges at once, at no cost).
 * Otherwise events are handled in arrival order, each recorded when its handling starts (a push-based
 * broker may have handed it over earlier; it waited in the member's queue), and the promise returned
 * settles after its delay and once the member may acknowledge: the adapter acknowledges it then.
 * A poison event is not recorded: the member fails on it and settles its fate (poison.ts) first.
 */
export function processingHandler(record: DeliveryHandler, delay: { min: number; max: number }, clock: Clock, rng: Random, gate = new MemberGate(), poison?: PoisonHandler): DeliveryHandler {
  let chain: Promise<void> = Promise.resolve();
  let queued = 0;
  return (payload, subscription, partition, position) => {
    const poisoned = poison?.test(payload) ?? false;
    if (delay.max <= 0 && gate.extraDelayMs <= 0 && queued === 0 && gate.current === 'running' && !poisoned) {
      record(payload, subscription, partition, position);
      return;
    }
    queued++;
    const handled = chain.then(async () => {
      await gate.untilTaking();
      if (poisoned) await poison!.handle(payload, subscription);
      else record(payload, subscription, partition, position);
      if ((delay.max > 0 || gate.extraDelayMs > 0) && !poisoned) await clock.sleep(delay.min + (delay.max - delay.min) * rng.next() + gate.extraDelayMs);
      queued--;
    });
    chain = handled;
    // A stalled member goes on handling; its acknowledgements wait. (A client that acknowledges in
    // order and fetches after each, as the pull consumers do, then fetches no more either.)
    return handled.then(() => gate.untilAcking());
  };
}
