// The message stream of one @platformatic/kafka consumer, opened again when it fails. The client ends
// a stream on any fetch error that outlasts its retries (1.35 and 2.x alike): a partition's leader
// killed for longer than `retries × retryDelay` left faultline's member reading nothing for the rest
// of the run while the broker held its events. A member of a real application would be restarted;
// ours reopens its stream on the same consumer (which rejoins the group and resumes from the group's
// committed offsets: re-reads, never gaps) and says so as a client event. An attempt to open one that
// fails or does not answer is retried on a new consumer: the client keeps its group's coordinator for
// a consumer's life, so a consumer whose coordinator was killed never rejoins. A stream that hands
// over nothing for the group's session timeout, with nothing of it being handled and its group
// behind, is replaced on a new consumer too.
import type { Consumer as PConsumer, Message, MessagesStream } from '@platformatic/kafka';
import { settleWithin, withTimeout } from '../../timeout.js';

type Buf = Buffer;
export type Delivered = Message<Buf, Buf, string, Buf>;
type Stream = MessagesStream<Buf, Buf, string, Buf>;
type ConsumeOptions = Parameters<PConsumer<Buf, Buf, string, Buf>['consume']>[0];

/** How long to wait before opening a failed stream again, and between attempts. */
const REOPEN_AFTER_MS = 500;
/** An attempt to open a stream that has not given one by then is given up (a client that threw from its callbacks never answers). */
const OPEN_WITHIN_MS = 15_000;
/** A broken client may never finish closing a stream: it gets this long. */
export const CLOSE_WITHIN_MS = 5000;
const REPLACED = 'faultline replaces the consumer with a new one';

export class ReopeningStream {
  private stream: Stream | null = null;
  private closed = false;
  /** Messages handed over and still being handled (a processing delay, a paused or stalled member). */
  private pending = 0;
  private lastActivity = performance.now();
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  private attempts = 0;

  constructor(
    private consumer: PConsumer<Buf, Buf, string, Buf>,
    private readonly options: ConsumeOptions,
    /** Each message; a promise while it is being handled (the stream is paused until it settles). */
    private readonly onMessage: (m: Delivered) => Promise<void> | undefined,
    /** The error that ended a stream or an attempt to open one, and what faultline does about it. */
    private readonly onFailure: (err: unknown, then: string) => void,
    /** A new consumer in place of one whose stream went quiet (the old one is the caller's to close). */
    private readonly renew?: (old: PConsumer<Buf, Buf, string, Buf>) => Promise<PConsumer<Buf, Buf, string, Buf>>,
  ) {}

  /** Replaces a stream that hands over nothing for `idleMs` while nothing is being handled and `behind()` says its group has events to read. */
  watch(idleMs: number, behind: () => Promise<boolean>): void {
    this.timer = setInterval(() => void this.check(idleMs, behind), Math.max(500, idleMs / 4));
  }

  private async check(idleMs: number, behind: () => Promise<boolean>): Promise<void> {
    const stream = this.stream;
    if (!stream || this.closed || this.checking || this.pending > 0 || performance.now() - this.lastActivity < idleMs) return;
    this.checking = true;
    try {
      if (!(await behind().catch(() => false)) || this.stream !== stream || this.closed) return;
      this.stream = null;
      this.onFailure(new Error(`the stream handed over nothing for ${(idleMs / 1000).toFixed(1)} s while its group had events to read`), REPLACED);
      await settleWithin(CLOSE_WITHIN_MS, stream.close());
      if (this.renew) this.consumer = await this.renew(this.consumer).catch(() => this.consumer);
      void this.reopen();
    } finally {
      this.checking = false;
    }
  }

  /** Opens the first stream; throws what the client throws (an unreachable broker at the start is the environment). */
  async open(): Promise<void> {
    const attempt = ++this.attempts;
    const stream = await this.consumer.consume(this.options);
    // closed meanwhile, or a later attempt took over from this one (it outlasted OPEN_WITHIN_MS)
    if (this.closed || attempt !== this.attempts) {
      await stream.close().catch(() => undefined);
      if (!this.closed) throw new Error('superseded');
      return;
    }
    this.stream = stream;
    this.lastActivity = performance.now();
    stream.on('data', (m: Delivered) => {
      this.lastActivity = performance.now();
      const handled = this.onMessage(m);
      if (!handled) return;
      // no more messages until this one is handled
      this.pending++;
      stream.pause();
      void handled.then(() => {
        this.pending--;
        this.lastActivity = performance.now();
        stream.resume();
      });
    });
    stream.on('error', (err: unknown) => {
      if (this.closed || this.stream !== stream) return;
      this.stream = null;
      this.onFailure(err, 'the client ended its message stream, faultline opens a new one');
      void this.reopen();
    });
  }

  /**
   * Opens a stream again; after an attempt that fails, on a new consumer. @platformatic/kafka 1.35
   * looks up its group's coordinator once and keeps it for the consumer's life: with the coordinator
   * killed, every join of that consumer goes to the dead broker ("joinGroup failed 11 times") and,
   * when the broker is back but not yet in the metadata, throws its TypeError from a callback and
   * never answers. A new consumer asks for the coordinator afresh.
   */
  private async reopen(): Promise<void> {
    while (!this.closed) {
      await new Promise((r) => setTimeout(r, REOPEN_AFTER_MS));
      if (this.closed) return;
      try {
        await withTimeout(OPEN_WITHIN_MS, this.open());
        return;
      } catch (err) {
        // the cluster is still settling, or the consumer is stuck on a dead coordinator: a new one
        this.onFailure(err, `opening a stream failed; ${REPLACED}`);
        if (this.renew) this.consumer = await this.renew(this.consumer).catch(() => this.consumer);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await settleWithin(CLOSE_WITHIN_MS, this.stream?.close());
  }
}
