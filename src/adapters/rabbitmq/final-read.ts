// The final read of RabbitMQ: a stream from its first offset (stream-read.ts), a classic or quorum
// queue by what is left in it. A queue deletes a message once a consumer acknowledges it, so what a
// confirmed message's absence proves depends on faultline's own consumers: a message a consumer has
// been handed and not yet handled (a processing delay queues it) is in neither the queue nor the
// history. The read takes every ready message with basic.get and gives them all back (closing its
// channel requeues them), and calls itself complete only when, a moment after, faultline's consumers
// hold nothing unacknowledged: then every message they were handed was recorded (a delivery is
// recorded before its ack), and a confirmed event in neither the history nor the queue is gone.
import type { ChannelModel } from 'amqplib';
import type { AdapterContext, FinalReadSink } from '../types.js';
import type { RabbitmqTarget } from './config.js';
import { readStreams, STREAM_READ_SOURCE } from './stream-read.js';

const QUEUE_READ_SOURCE = 'what is left in each queue (basic.get, every message given back after), complete only when faultline’s consumers held nothing unacknowledged';
/** Long enough for a message the broker pushed to a consumer before the read to reach its handler. */
const SETTLE_MS = 300;

export function finalReadSource(target: RabbitmqTarget): string {
  return target.queue.type === 'stream' ? STREAM_READ_SOURCE : QUEUE_READ_SOURCE;
}

/** Why a queue's leftovers prove nothing for this target, or undefined when they can. */
export function finalReadUnavailable(target: RabbitmqTarget, ctx: AdapterContext): string | undefined {
  if (target.queue.type === 'stream') return undefined;
  const queue = `a RabbitMQ ${target.queue.type} queue deletes each message once it is acknowledged`;
  if (target.consumer.ack === 'auto') return `${queue}, and with automatic acks a message is gone from it the moment faultline’s consumer is handed it, before the run records it: a loss is not proven by a final read`;
  if (ctx.shard && ctx.shard.count > 1) return `${queue}, and the other workers’ consumers may hold messages this process cannot see: a loss is not proven by a final read`;
  return undefined;
}

/** Reads each subscription's stream or queue into the sink (subscription undefined for the one queue of the default exchange). */
export async function readQueues(model: ChannelModel, target: RabbitmqTarget, queues: { queue: string; subscription?: number }[], sink: FinalReadSink, deadlineMs: number, held: () => number): Promise<{ complete: boolean; why?: string }> {
  if (target.queue.type === 'stream') return readStreams(model, queues, sink, deadlineMs);
  const until = Date.now() + deadlineMs;
  const ch = await model.createChannel();
  ch.on('error', () => undefined);
  try {
    for (const { queue, subscription } of queues) {
      // a queue has no positions: the order the read found them in stands in for one
      for (let position = 0; ; position++) {
        const msg = await ch.get(queue, { noAck: false });
        if (!msg) break;
        sink.payload(msg.content, 0, position, subscription);
        if (Date.now() > until) return { complete: false, why: `the final read of queue ${queue} was still taking messages after ${deadlineMs / 1000} s` };
      }
    }
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const holding = held();
    return holding > 0 ? { complete: false, why: `faultline’s consumers still held ${holding} messages unacknowledged (handed over, not yet handled): the queue no longer has them, so a loss is not proven by the read of what is left` } : { complete: true };
  } finally {
    // unacknowledged, everything taken goes back to its queue
    await ch.close().catch(() => undefined);
  }
}
