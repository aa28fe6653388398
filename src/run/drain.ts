// Drain: keep consuming until nothing new has arrived for the quiet period and every subscription has
// received every acknowledged event, or until the deadline passes (a consumer still recovering from a
// fault, or a redelivery after its ack wait, gets its chance before anything is called lost).
import type { Clock } from '../clock.js';
import type { Recorder } from '../observe/recorder.js';
import type { Scenario } from '../scenario/schema.js';
import type { Coordination } from './coordination.js';

export async function drain(scenario: Scenario, rec: Recorder, coord: Coordination, o: { clock: Clock; loadEndAt: number; aborted: () => boolean; flush: () => void }): Promise<void> {
  const { quiet, deadline } = scenario.drain;
  const subscriptions = scenario.workload.subscriptions;
  const end = o.loadEndAt + deadline;
  while (!o.aborted() && subscriptions > 0) {
    const now = o.clock.now();
    if (now >= end) return;
    const caughtUp = coord.caughtUp(rec, subscriptions);
    if (now - Math.max(rec.lastDeliveryAt, o.loadEndAt) >= quiet && caughtUp) return;
    await o.clock.sleep(Math.min(100, quiet / 4));
    o.flush();
  }
}
