// Drain: keep consuming until nothing new has arrived for the quiet period and every subscription has
// received every acknowledged event, or until the deadline passes (a consumer still recovering from a
// fault, or a redelivery after its ack wait, gets its chance before anything is called lost). Once
// quiet, it also ends when the broker says it holds nothing undelivered (its consumer lag is 0): what
// has not arrived by then is not coming, and the final read says whether the broker still has it.
import type { Clock } from '../clock.js';
import type { Recorder } from '../observe/recorder.js';
import type { Scenario } from '../scenario/schema.js';
import type { Coordination } from './coordination.js';

/** How often a quiet drain asks the broker whether it still holds anything undelivered. */
const ASK_EVERY_MS = 500;

export async function drain(scenario: Scenario, rec: Recorder, coord: Coordination, o: { clock: Clock; loadEndAt: number; aborted: () => boolean; flush: () => void; brokerEmpty?: () => Promise<boolean> }): Promise<void> {
  const { quiet, deadline } = scenario.drain;
  const subscriptions = scenario.workload.subscriptions;
  const end = o.loadEndAt + deadline;
  let askedAt = -Infinity;
  while (!o.aborted() && subscriptions > 0) {
    const now = o.clock.now();
    if (now >= end) return;
    const caughtUp = coord.caughtUp(rec, subscriptions);
    const isQuiet = now - Math.max(rec.lastDeliveryAt, o.loadEndAt) >= quiet;
    if (isQuiet && caughtUp) return;
    if (isQuiet && o.brokerEmpty && now - askedAt >= ASK_EVERY_MS) {
      askedAt = now;
      if (await o.brokerEmpty()) return;
    }
    await o.clock.sleep(Math.min(100, quiet / 4));
    o.flush();
  }
}
