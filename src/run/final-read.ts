// The final read, after the drain: a reader that is not one of faultline's consumers reads the run's
// log back into the history, so the checker can tell an event the broker no longer has (lost) from
// one it has and faultline's consumers never delivered (unseen). Where the broker cannot be read back
// the note says so, and loss stays unproven.
import type { Adapter } from '../adapters/types.js';
import { FinalReadRecorder } from '../observe/final-read-sink.js';
import type { HistoryWriter } from '../observe/history.js';
import type { NoteLog } from '../observe/note-log.js';
import { settleWithin } from '../timeout.js';

const DEADLINE_MS = 30_000;

export async function finalRead(adapter: Adapter, history: HistoryWriter, notes: NoteLog, o: { runTag: number; producers: number }): Promise<void> {
  if (!adapter.finalRead || adapter.finalReadUnavailable) {
    notes.note({ type: 'final-read', source: null, events: 0, complete: false, why: adapter.finalReadUnavailable ?? `the ${adapter.name} adapter cannot read its broker back: a loss is not proven by a final read` });
    return;
  }
  const sink = new FinalReadRecorder(history, o.runTag, o.producers);
  const read = await settleWithin(
    DEADLINE_MS + 5000,
    adapter.finalRead(sink, DEADLINE_MS).catch((err: Error) => ({ complete: false, why: `the final read failed: ${err.message}` })),
  );
  sink.flush();
  const { complete, why } = read ?? { complete: false, why: `the final read did not end within ${(DEADLINE_MS + 5000) / 1000} s` };
  // where each group had committed to: an unseen event below it was skipped, at or above it never fetched
  const committed = adapter.committed
    ? await settleWithin(
        10_000,
        adapter.committed().catch(() => undefined),
      )
    : undefined;
  notes.note({ type: 'final-read', source: adapter.finalReadSource ?? adapter.name, events: sink.events, complete, ...(why ? { why } : {}), ...(committed ? { committed } : {}) });
}
