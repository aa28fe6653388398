// The load phase: this process' producers (or HTTP drivers), each with its sender on the plan's
// schedule, and the one-second ticker that closes each interval into the history, intervals.ndjson
// and the progress callback. It ends when every sender has sent and settled (or the run is stopped).
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { createHttpProducer } from '../adapters/http/ingress.js';
import type { Producer } from '../adapters/types.js';
import type { Clock, Random } from '../clock.js';
import { AutocannonDriver } from '../load/autocannon-driver.js';
import { OpenLoopSchedule } from '../load/schedules.js';
import { Sender } from '../load/sender.js';
import { runTagOf } from '../observe/envelope.js';
import type { NoteLog } from '../observe/note-log.js';
import { phaseAt } from '../observe/phases.js';
import type { Recorder } from '../observe/recorder.js';
import type { RunPlan } from '../plan/plan.js';
import type { Scenario } from '../scenario/schema.js';
import { settleWithin } from '../timeout.js';
import type { Progress } from './options.js';
import type { Targets } from './targets.js';

export interface LoadContext {
  scenario: Scenario;
  plan: RunPlan;
  rec: Recorder;
  clock: Clock;
  rng: Random;
  runId: string;
  owns: (n: number) => boolean;
}

/** The producers this process owns (none for autocannon's HTTP ingress, which drives its own connections). */
export class Producers {
  /** adapterStats counts of the HTTP ingress (http.<status>, http.<error>). */
  readonly httpCounts: Record<string, number> = {};
  private readonly list: { id: number; producer: Producer }[] = [];

  static async open(c: LoadContext, targets: Targets): Promise<Producers> {
    const out = new Producers();
    targets.countAlso(() => out.httpCounts);
    const ingress = c.scenario.ingress;
    if (ingress?.engine === 'autocannon') return out;
    for (let p = 0; p < c.scenario.workload.producers; p++) if (c.owns(p)) out.list.push({ id: p, producer: ingress ? createHttpProducer(ingress, out.httpCounts) : await targets.adapter.createProducer(p) });
    return out;
  }

  /** One sender per producer (or one autocannon driver per producer id) for a load starting at `startAt`. */
  senders(c: LoadContext, startAt: number): (Sender | AutocannonDriver)[] {
    const { scenario, plan } = c;
    const w = scenario.workload;
    const endAt = startAt + plan.warmupMs + plan.durationMs;
    const common = { recorder: c.rec, clock: c.clock, runId: c.runId, runTag: runTagOf(c.runId), endAt, keys: w.message.keys, size: plan.size };
    const closedLoopHttp = scenario.ingress?.engine === 'autocannon' ? scenario.ingress : null;
    if (closedLoopHttp)
      return Array.from({ length: w.producers }, (_, id) => id)
        .filter(c.owns)
        .map((id) => new AutocannonDriver({ ...common, id, ingress: closedLoopHttp, rng: c.rng.fork(100 + id), counts: this.httpCounts }));
    return this.list.map(
      ({ id, producer }) =>
        new Sender({
          ...common,
          id,
          producer,
          rng: c.rng.fork(100 + id),
          startAt,
          schedule: plan.rate ? new OpenLoopSchedule(plan.rate, w.producers, id, plan.warmupMs, plan.durationMs) : null,
          closedInFlight: Math.max(1, Math.ceil(plan.closedInFlight / w.producers)),
          batchSize: w.batch.size,
          lingerMs: w.batch.linger,
          maxInFlight: w.maxInFlight,
        }),
    );
  }

  async close(): Promise<void> {
    for (const { producer } of this.list) await settleWithin(5000, producer.close());
  }
}

/** Runs the senders from `startAt` with the one-second ticker; resolves with the clock time the load ended. */
export async function runLoad(c: LoadContext, senders: (Sender | AutocannonDriver)[], o: { startAt: number; dir: string | null; notes: NoteLog; signal?: AbortSignal; onProgress?: (p: Progress) => void }): Promise<number> {
  const { clock, plan, rec } = c;
  const { startAt } = o;
  const totalMs = plan.warmupMs + plan.durationMs;
  const aborted = () => o.signal?.aborted ?? false;
  const stopAll = () => senders.forEach((s) => s.stop());
  o.signal?.addEventListener('abort', stopAll, { once: true });
  const out = o.dir ? createWriteStream(path.join(o.dir, 'intervals.ndjson')) : null;
  let second = 0;
  let ticker: NodeJS.Timeout | undefined;
  const tick = () => {
    second++;
    const iv = rec.intervals.close(second);
    o.notes.note({ type: 'interval', interval: iv });
    out?.write(JSON.stringify(iv) + '\n');
    o.onProgress?.({ elapsedMs: clock.now() - startAt, totalMs, phase: plan.phases[phaseAt(plan.phases, rec.sinceStart(clock.now()))].name, interval: iv, inFlight: rec.inFlight, errors: iv.failed + iv.indeterminate });
    if (second * 1000 < totalMs - 1 && !aborted()) ticker = setTimeout(tick, startAt + (second + 1) * 1000 - clock.now());
  };
  try {
    await clock.sleep(startAt - clock.now());
    ticker = setTimeout(tick, startAt + 1000 - clock.now());
    await Promise.all(senders.map((s) => s.run(c.scenario.drain.deadline)));
    const loadEndAt = clock.now();
    // The last interval closes with the load, so a 10 s run has 10 intervals.
    if (!aborted()) await clock.sleep(Math.max(0, startAt + totalMs - clock.now()));
    clearTimeout(ticker);
    if (second * 1000 < totalMs && !aborted()) tick();
    return loadEndAt;
  } finally {
    clearTimeout(ticker);
    o.signal?.removeEventListener('abort', stopAll);
    await new Promise<void>((r) => (out ? out.end(r) : r()));
  }
}
