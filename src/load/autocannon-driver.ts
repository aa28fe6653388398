// The closed-loop HTTP ingress (`ingress.engine: autocannon`): autocannon keeps `connections` ×
// `pipelining` requests in flight for as long as the load lasts, to find an HTTP gateway's ceiling.
// Each request's body is one event, its envelope stamped in autocannon's per-request setupRequest
// hook, so faultline's consumer still checks every acknowledged event end to end. autocannon measures
// from the actual send: right for a closed loop (intended = sent), wrong for an open one, which stays
// on the undici loop (adapters/http/ingress.ts).
//
// Which answer belongs to which event: each connection gets its own request template (setupClient)
// and a queue of the events written on it; HTTP/1.1 answers come back in order, so an answer settles
// the oldest. A connection that errs, ends or times out settles what it carried as indeterminate
// (the gateway may have written it). This leans on autocannon 9's Client (`_connect`), pinned.
import autocannon, { type Instance } from 'autocannon';
import type { Clock, Random } from '../clock.js';
import { requestBody, type Ingress } from '../adapters/http/config.js';
import { keyName } from '../observe/envelope.js';
import { Outcome } from '../observe/outcome.js';
import type { Recorder } from '../observe/recorder.js';
import { EventFactory } from './events.js';

export interface AutocannonDriverOptions {
  id: number;
  ingress: Ingress;
  recorder: Recorder;
  clock: Clock;
  rng: Random;
  runId: string;
  runTag: number;
  endAt: number;
  keys: { count: number; distribution: 'uniform' | 'zipf'; exponent: number };
  size: { min: number; max: number };
  /** adapterStats counts (http.<status>, http.<error>). */
  counts: Record<string, number>;
}

interface InFlight {
  seq: number;
  key: number;
  sentAt: number;
}

/** The part of autocannon's per-connection Client this driver uses. */
interface AutocannonClient {
  /** (Client.setRequests refuses to run with pipelining > 1, for fear of requests in flight: at setup there are none.) */
  requestIterator: { setRequests(requests: object[]): void };
  on(event: 'connError', listener: (err: { code?: string }) => void): void;
  _connect(): void;
}

export class AutocannonDriver {
  private seq = 0;
  private readonly events: EventFactory;
  private readonly queues = new Set<InFlight[]>();
  private instance: Instance | null = null;

  constructor(private readonly o: AutocannonDriverOptions) {
    this.events = new EventFactory(o.rng, o.keys, o.size);
  }

  stop(): void {
    this.instance?.stop();
  }

  /** Runs until the load's end (or stop), then records what is still unanswered as never answered. */
  async run(): Promise<void> {
    const { ingress, clock, endAt } = this.o;
    const seconds = Math.max(1, Math.ceil((endAt - clock.now()) / 1000));
    const url = new URL(ingress.url);
    const headers = { 'content-type': 'application/json', ...ingress.headers };
    const done = new Promise<void>((resolve) => {
      this.instance = autocannon(
        {
          url: url.origin,
          connections: ingress.connections,
          pipelining: ingress.pipelining,
          duration: seconds,
          timeout: Math.max(1, Math.ceil(ingress.timeout / 1000)),
          // per connection: its own template, whose hooks know the connection's queue
          setupClient: (client: AutocannonClient) => this.setupClient(client, { method: ingress.method, path: url.pathname + url.search, headers }, ingress),
        } as never,
        () => resolve(),
      );
    });
    const timer = setInterval(() => clock.now() >= endAt && this.instance?.stop(), 50);
    await done;
    clearInterval(timer);
    this.abandon();
  }

  /** Every event still unanswered is recorded as never answered (indeterminate). */
  abandon(): void {
    for (const q of this.queues) {
      for (const e of q.splice(0)) this.o.recorder.settled(this.o.id, e.seq, e.key, Outcome.pending, e.sentAt, e.sentAt, NaN);
    }
  }

  private setupClient(client: AutocannonClient, base: { method: string; path: string; headers: Record<string, string> }, ingress: Ingress): void {
    const { recorder, clock, id, runTag, runId, counts } = this.o;
    const queue: InFlight[] = [];
    this.queues.add(queue);
    const lost = (outcome: number = Outcome.indeterminate) => {
      for (const e of queue.splice(0)) recorder.settled(id, e.seq, e.key, outcome as typeof Outcome.indeterminate, e.sentAt, e.sentAt, clock.now());
    };
    client.on('connError', (err) => {
      const code = err?.code ?? 'connError';
      counts[`http.${code}`] = (counts[`http.${code}`] ?? 0) + 1;
      // refused: the requests never left; any other error may have come after the gateway read them
      lost(code === 'ECONNREFUSED' ? Outcome.failed : Outcome.indeterminate);
    });
    // A new connection (after an error, an end or a timeout) carries none of the old one's requests.
    const connect = client._connect.bind(client);
    let first = true;
    client._connect = () => {
      if (!first) lost();
      first = false;
      connect();
    };
    client.requestIterator.setRequests([
      {
        ...base,
        // built right before it is written (autocannon writes each request as soon as it is built):
        // every build is an event sent, so none is ever sent twice
        setupRequest: (req: Record<string, unknown>) => {
          const seq = this.seq++;
          const sentAt = clock.now();
          const { key, payload } = this.events.next(runTag, id, seq, sentAt);
          const b64 = payload.toString('base64');
          req.body = requestBody(ingress, keyName(key), b64, `${runId}:${id}:${seq}`);
          recorder.sent(id, 1);
          queue.push({ seq, key, sentAt });
          return req;
        },
        onResponse: (status: number) => {
          counts[`http.${status}`] = (counts[`http.${status}`] ?? 0) + 1;
          const e = queue.shift();
          if (e) recorder.settled(id, e.seq, e.key, status >= 200 && status < 300 ? Outcome.ok : Outcome.failed, e.sentAt, e.sentAt, clock.now());
        },
      },
    ]);
  }
}
