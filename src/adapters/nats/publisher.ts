// JetStream publishing with one reply subscription per producer (what the Go client's async publish
// does): each event goes out as a plain publish with a reply subject `<inbox>.<token>`, and its PubAck
// comes back to the one subscription. js.publish() instead makes a request per event (request object,
// deferred, timer, mux entry, and Errors built even on success), which was the ceiling of the adapter.
// A batch waits at most `timeoutMs` with one timer; what has no answer by then is unknown.
import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** ok/duplicate: a PubAck; error: an error reply; refused: the client refused to send; none: no answer in time. */
export type PubAckOutcome = 'ok' | 'duplicate' | 'error' | 'refused' | 'none';

interface Waiting {
  outcomes: PubAckOutcome[];
  /** The stream sequence each PubAck gave (-1: none). */
  seqs: number[];
  index: number;
  settle: () => void;
}

export class AsyncPublisher {
  private readonly inbox = createInbox();
  private readonly prefix = this.inbox.length + 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly sub: Subscription;
  private next = 0;

  constructor(private readonly nc: NatsConnection) {
    this.sub = nc.subscribe(`${this.inbox}.*`, { callback: (err, msg) => (err ? undefined : this.answer(msg)) });
    // Answers to what was sent on a lost connection never come: settle those sends at once (no
    // answer) instead of at the batch's timeout, so a retry goes out as soon as the client reconnects.
    void (async () => {
      for await (const s of nc.status()) if (s.type === 'disconnect') this.abandonPending();
    })().catch(() => undefined);
  }

  private abandonPending(): void {
    const pending = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of pending) w.settle();
  }

  private answer(msg: Msg): void {
    const token = Number(msg.subject.slice(this.prefix));
    const w = this.waiting.get(token);
    if (!w) return; // answered after its batch timed out: that send stays indeterminate
    this.waiting.delete(token);
    const body = msg.string();
    w.outcomes[w.index] = pubAckOf(msg, body);
    const seq = /"seq":(\d+)/.exec(body);
    if (seq) w.seqs[w.index] = Number(seq[1]);
    w.settle();
  }

  /** Publishes every event and resolves with one outcome each, `none` where no answer came in time; `seqs` gets each PubAck's stream sequence. */
  publish(events: { subject: string; payload: Uint8Array; msgID?: string }[], timeoutMs: number, seqs: number[] = []): Promise<PubAckOutcome[]> {
    return new Promise((resolve) => {
      const outcomes: PubAckOutcome[] = new Array(events.length).fill('none');
      seqs.length = events.length;
      seqs.fill(-1);
      const tokens: number[] = [];
      let left = events.length;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        for (const t of tokens) this.waiting.delete(t);
        resolve(outcomes);
      };
      const settle = () => {
        if (--left === 0) finish();
      };
      const timer = setTimeout(finish, timeoutMs);
      for (let i = 0; i < events.length; i++) {
        const ev = events[i];
        const token = this.next++;
        tokens.push(token);
        this.waiting.set(token, { outcomes, seqs, index: i, settle });
        try {
          const h = ev.msgID ? headers() : undefined;
          h?.set('Nats-Msg-Id', ev.msgID!);
          this.nc.publish(ev.subject, ev.payload, { reply: `${this.inbox}.${token}`, ...(h ? { headers: h } : {}) });
        } catch {
          // a closed connection refuses at once; whether it reached the server is unknown
          this.waiting.delete(token);
          outcomes[i] = 'refused';
          settle();
        }
      }
      if (events.length === 0) finish();
    });
  }

  close(): void {
    this.sub.unsubscribe();
    this.waiting.clear();
  }
}

/** A PubAck is `{"stream":…,"seq":…}` (with `"duplicate":true` for a refused Msg-Id); an error is a status header (503: no stream) or `{"error":…}`. */
function pubAckOf(msg: Msg, body: string): PubAckOutcome {
  if (msg.headers?.hasError) return 'error';
  if (body.includes('"error"')) return 'error';
  return body.includes('"duplicate":true') ? 'duplicate' : 'ok';
}
