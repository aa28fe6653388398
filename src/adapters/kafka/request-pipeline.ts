// The platformatic producer's request pipeline: batches queue, and up to `limit` produce requests run
// at once, each taking what has queued meanwhile (at most MAX_REQUEST_BYTES of payload). The envelope
// travels in a header, the rest of the payload as the value.
import { defaultPartitioner, type MessageToProduce, type PartitionerContext, type Producer as PProducer } from '@platformatic/kafka';
import { ENVELOPE_BYTES } from '../../observe/envelope.js';
import type { SendOutcome } from '../../observe/outcome.js';
import type { OutgoingEvent } from '../types.js';
import { failedRequest, HEADER, placeEvents } from './shared.js';

/** A produce request carries at most this many payload bytes of merged batches. */
const MAX_REQUEST_BYTES = 512 * 1024;
const HEADER_KEY = Buffer.from(HEADER);

type Waiting = { events: OutgoingEvent[]; resolve: (o: SendOutcome[]) => void };

export class RequestPipeline {
  private readonly queue: Waiting[] = [];
  private running = 0;

  constructor(
    private readonly producer: PProducer,
    private readonly topic: string,
    private readonly limit: number,
    /**
     * -1 (all), 1 or 0, given with every send: @platformatic/kafka 1.35 ignores the producer's own
     * `acks` option and sends with acks 1 unless a send names it (or the producer is idempotent).
     */
    private readonly acks: -1 | 1 | 0,
    private readonly counts: Record<string, number>,
  ) {}

  send(events: OutgoingEvent[]): Promise<SendOutcome[]> {
    return new Promise((resolve) => {
      this.queue.push({ events, resolve });
      if (this.running < this.limit) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running++;
    while (this.queue.length) {
      const waiting = this.take();
      let outcome: SendOutcome;
      try {
        const messages = this.messagesOf(waiting);
        const partitionOf = new Map<object, number>();
        // the client's default partitioner, noting where it put each message (normalized as the client does)
        const partitioner = (m: MessageToProduce<Buffer, Buffer, Buffer, Buffer>, key: Buffer | undefined, ctx: PartitionerContext) => {
          const raw = defaultPartitioner(m, key);
          const count = ctx.metadata?.topics.get(this.topic)?.partitionsCount;
          if (count) partitionOf.set(m, raw % count);
          return raw;
        };
        const answer = await this.producer.send({ messages, partitioner, acks: this.acks });
        // acks 0: nothing is ever known to be written
        outcome = this.acks === 0 ? 'indeterminate' : 'ok';
        if (this.acks !== 0)
          placeEvents(
            waiting.flatMap((w) => w.events),
            messages.map((m) => partitionOf.get(m)),
            new Map((answer.offsets ?? []).map((o) => [o.partition, Number(o.offset)])),
          );
      } catch (err) {
        outcome = failedRequest(this.counts, err);
      }
      for (const w of waiting) w.resolve(w.events.map(() => outcome));
    }
    this.running--;
  }

  private take(): Waiting[] {
    const waiting: Waiting[] = [];
    let bytes = 0;
    while (this.queue.length && (waiting.length === 0 || bytes < MAX_REQUEST_BYTES)) {
      const w = this.queue.shift()!;
      waiting.push(w);
      for (const ev of w.events) bytes += ev.payload.byteLength;
    }
    return waiting;
  }

  private messagesOf(waiting: Waiting[]) {
    const messages = [];
    for (const w of waiting) {
      for (const ev of w.events) {
        const buf = Buffer.from(ev.payload.buffer, ev.payload.byteOffset, ev.payload.byteLength);
        messages.push({ topic: this.topic, key: Buffer.from(ev.key), value: buf.subarray(ENVELOPE_BYTES), headers: new Map([[HEADER_KEY, buf.subarray(0, ENVELOPE_BYTES)]]) });
      }
    }
    return messages;
  }
}
