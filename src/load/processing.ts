// faultline's consumers as an application would be: each member handles one event at a time and takes
// `consumer.processing.delay` per event before the adapter acknowledges it, so a slow consumer makes
// lag build at the broker, where it is measured, rather than in faultline's memory.
import type { DeliveryHandler } from '../adapters/types.js';
import type { Clock, Random } from '../clock.js';

/**
 * The handler one consumer member calls per delivery. With no delay it is `record` itself (no
 * promise, no cost). Otherwise events are handled in arrival order, each recorded when its handling
 * starts (a push-based broker may have handed it over earlier; it waited in the member's queue) and
 * settled after its delay: the adapter acknowledges it then.
 */
export function processingHandler(record: DeliveryHandler, delay: { min: number; max: number }, clock: Clock, rng: Random): DeliveryHandler {
  if (delay.max <= 0) return record;
  let chain: Promise<void> = Promise.resolve();
  return (payload, subscription) => {
    chain = chain.then(() => {
      record(payload, subscription);
      return clock.sleep(delay.min + (delay.max - delay.min) * rng.next());
    });
    return chain;
  };
}
