// The final read of a run's JetStream stream: an ordered consumer (ephemeral, never one of the run's
// durable consumers) reads the stream from its first sequence to the last sequence the stream held
// when the read began, so what it does not find, the stream no longer has.
import { jetstream, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { settleWithin } from '../../timeout.js';
import type { FinalReadSink } from '../types.js';

export const FINAL_READ_SOURCE = 'the stream, from its first sequence to its last, through an ordered consumer';

/** The stream is one log: every event is at partition 0, its position the stream sequence. */
export async function readStream(nc: NatsConnection, jsm: JetStreamManager, stream: string, sink: FinalReadSink, deadlineMs: number): Promise<{ complete: boolean; why?: string }> {
  const { state } = await jsm.streams.info(stream);
  if (state.messages === 0) return { complete: true };
  const last = state.last_seq;
  const consumer = await jetstream(nc).consumers.get(stream);
  const messages = await consumer.consume({ max_messages: 1000 });
  let reached = 0;
  const read = (async () => {
    for await (const m of messages) {
      sink.payload(m.data, 0, m.seq);
      reached = m.seq;
      if (m.seq >= last) return true;
    }
    return false;
  })();
  try {
    const done = await settleWithin(deadlineMs, read);
    return done ? { complete: true } : { complete: false, why: `the final read reached sequence ${reached} of ${last} within ${deadlineMs / 1000} s` };
  } finally {
    await messages.close().catch(() => undefined);
  }
}
