// Where a final read's findings go: each event of this run (by its envelope) buffered per log and
// written to the history in blocks (kind 5), with where the broker holds it. Events of other runs
// and unreadable bytes are skipped: the final read proves what is in the log, not what arrived.
import type { FinalReadSink } from '../adapters/types.js';
import { emptyEnvelope, readEnvelope } from './envelope.js';
import { SHARED_LOG, type HistoryWriter } from './history.js';
import { LogColumns } from './log-columns.js';

export class FinalReadRecorder implements FinalReadSink {
  /** Events of this run found. */
  events = 0;
  private readonly logs = new Map<number, LogColumns>();
  private readonly env = emptyEnvelope();

  constructor(
    private readonly history: HistoryWriter,
    private readonly runTag: number,
    private readonly producers: number,
  ) {}

  payload(bytes: Uint8Array, partition: number, position: number, subscription?: number): void {
    const env = this.env;
    if (readEnvelope(bytes, env) || env.runTag !== this.runTag) return;
    this.event(env.producer, env.seq, env.key, partition, position, subscription);
  }

  event(producer: number, seq: number, key: number, partition: number, position: number, subscription = SHARED_LOG): void {
    if (producer >= this.producers) return;
    let c = this.logs.get(subscription);
    if (!c) this.logs.set(subscription, (c = new LogColumns()));
    this.events++;
    if (c.push(producer, seq, key, partition, position)) this.flushLog(subscription, c);
  }

  flush(): void {
    for (const [s, c] of this.logs) this.flushLog(s, c);
  }

  private flushLog(subscription: number, c: LogColumns): void {
    this.history.finalRead(subscription, c.producer, c.seq, c.key, c.partition, c.position, c.n);
    c.n = 0;
  }
}
