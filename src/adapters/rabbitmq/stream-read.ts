// The final read of RabbitMQ streams: a consumer of its own per stream, from the first offset, until
// nothing more has arrived for a second. By then nobody writes to the run's streams (the load and the
// drain are over), and a stream serves every confirmed message, so reading to idle is reading to the
// end. An entry's position is its stream offset (the x-stream-offset header).
import type { ChannelModel, ConsumeMessage } from 'amqplib';
import type { FinalReadSink } from '../types.js';

const IDLE_MS = 1000;

export const STREAM_READ_SOURCE = 'each stream from its first offset until nothing more arrives for 1 s (x-stream-offset: first)';

/** Reads each subscription's stream into the sink (subscription undefined for the one stream of the default exchange). */
export async function readStreams(model: ChannelModel, streams: { queue: string; subscription?: number }[], sink: FinalReadSink, deadlineMs: number): Promise<{ complete: boolean; why?: string }> {
  const until = Date.now() + deadlineMs;
  for (const { queue, subscription } of streams) {
    const ch = await model.createChannel();
    try {
      await ch.prefetch(1000);
      let last = Date.now();
      const take = (msg: ConsumeMessage | null) => {
        if (!msg) return;
        last = Date.now();
        const offset = Number(msg.properties.headers?.['x-stream-offset'] ?? -1);
        sink.payload(msg.content, 0, Number.isFinite(offset) ? offset : -1, subscription);
        ch.ack(msg);
      };
      await ch.consume(queue, take, { arguments: { 'x-stream-offset': 'first' } });
      while (Date.now() - last < IDLE_MS) {
        if (Date.now() > until) return { complete: false, why: `the final read of stream ${queue} was still receiving after ${deadlineMs / 1000} s` };
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await ch.close().catch(() => undefined);
    }
  }
  return { complete: true };
}

/** A stream's offset of a delivery (-1 for a queue's); a quorum queue's delivery count kept as the highest seen (`maxDeliveryCount`). */
export function deliveryPosition(msg: ConsumeMessage, counts: Record<string, number>): number {
  const h = msg.properties.headers;
  if (h?.['x-delivery-count'] !== undefined) counts.maxDeliveryCount = Math.max(counts.maxDeliveryCount ?? 0, Number(h['x-delivery-count']));
  return h?.['x-stream-offset'] === undefined ? -1 : Number(h['x-stream-offset']);
}
