// The message stream of one @platformatic/kafka consumer, opened again when it fails. The client ends
// a stream on any fetch error that outlasts its retries (1.35 and 2.x alike): a partition's leader
// killed for longer than `retries × retryDelay` left faultline's member reading nothing for the rest
// of the run while the broker held its events. A member of a real application would be restarted;
// ours reopens its stream on the same consumer (which rejoins the group and resumes from the group's
// committed offsets: re-reads, never gaps) and says so as a client event.
import type { Consumer as PConsumer, Message, MessagesStream } from '@platformatic/kafka';

type Buf = Buffer;
export type Delivered = Message<Buf, Buf, string, Buf>;
type Stream = MessagesStream<Buf, Buf, string, Buf>;
type ConsumeOptions = Parameters<PConsumer<Buf, Buf, string, Buf>['consume']>[0];

/** How long to wait before opening a failed stream again, and between attempts. */
const REOPEN_AFTER_MS = 500;

export class ReopeningStream {
  private stream: Stream | null = null;
  private closed = false;

  constructor(
    private readonly consumer: PConsumer<Buf, Buf, string, Buf>,
    private readonly options: ConsumeOptions,
    /** Each message, with the stream it came from (to pause it while the message is handled). */
    private readonly onMessage: (m: Delivered, stream: Stream) => void,
    /** The error that ended a stream (it is opened again after it). */
    private readonly onFailure: (err: unknown) => void,
  ) {}

  /** Opens the first stream; throws what the client throws (an unreachable broker at the start is the environment). */
  async open(): Promise<void> {
    const stream = await this.consumer.consume(this.options);
    if (this.closed) {
      await stream.close().catch(() => undefined);
      return;
    }
    this.stream = stream;
    stream.on('data', (m: Delivered) => this.onMessage(m, stream));
    stream.on('error', (err: unknown) => {
      if (this.closed || this.stream !== stream) return;
      this.stream = null;
      this.onFailure(err);
      void this.reopen();
    });
  }

  private async reopen(): Promise<void> {
    while (!this.closed) {
      await new Promise((r) => setTimeout(r, REOPEN_AFTER_MS));
      if (this.closed) return;
      try {
        await this.open();
        return;
      } catch {
        // the cluster is still settling: try again
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stream?.close().catch(() => undefined);
  }
}
