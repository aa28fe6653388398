// NATS through the official client: JetStream (a stream per run, durable pull consumers with explicit
// acks, Nats-Msg-Id de-duplication when idempotent) or core NATS (queue groups, at most once).
import { settleWithin } from '../../timeout.js';
import { connect, nanos, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, StorageType, type ConsumerMessages, type JetStreamManager } from '@nats-io/jetstream';
import { createRequire } from 'node:module';
import path from 'node:path';
import { clientVersion } from '../client-version.js';
import { unreachable } from '../unreachable.js';
import type { SendOutcome } from '../../observe/outcome.js';
import type { Adapter, AdapterContext, Capabilities, Consumer, DeliveryHandler, FinalReadSink, OutgoingEvent, Producer } from '../types.js';
import { serversOf, type NatsTarget } from './config.js';
import { FINAL_READ_SOURCE, readStream } from './final-read.js';
import { AsyncPublisher } from './publisher.js';

// Several pull clients on one durable consumer share its messages: no order per key is promised.
export const capabilities: Capabilities = { orderedPerKey: false, producerIdempotence: true, ackModes: ['jetstream', 'none'] };

class NatsAdapter implements Adapter {
  readonly name = 'nats';
  readonly capabilities = capabilities;
  private readonly stream: string;
  private readonly connections = new Set<NatsConnection>();
  private admin: NatsConnection | null = null;
  private jsm: JetStreamManager | null = null;
  private created = false;
  private readonly counts: Record<string, number> = { sendErrors: 0, duplicatesRefused: 0 };

  constructor(
    private readonly target: NatsTarget,
    private readonly ctx: AdapterContext,
  ) {
    this.stream = target.stream.name ?? ctx.resourceName.replace(/[^A-Za-z0-9_-]/g, '_');
  }

  private async connect(name: string): Promise<NatsConnection> {
    // noAsyncTraces: otherwise the client builds two Errors with stack traces for every request (every
    // JetStream publish), a third of the CPU at 25k publishes/s; faultline reports errors by kind anyway.
    try {
      const nc = await connect({ servers: serversOf(this.target), name: `faultline-${name}`, timeout: 3000, maxReconnectAttempts: -1, reconnectTimeWait: 250, pingInterval: 2000, maxPingOut: 2, noAsyncTraces: true });
      this.connections.add(nc);
      return nc;
    } catch (err) {
      throw unreachable('NATS', serversOf(this.target).join(', '), err, 'servers', this.target.cluster);
    }
  }

  private group(subscription: number): string {
    return `${this.stream}-s${subscription}`;
  }

  async leader(): Promise<string | undefined> {
    return (await this.jsm?.streams.info(this.stream))?.cluster?.leader;
  }

  readonly lagUnavailable = 'NATS core keeps no backlog for a subscriber (it is dropped, not queued)';

  get lagSource(): string | undefined {
    return this.target.mode === 'core' ? undefined : 'consumer info: messages not yet delivered (num_pending) + delivered and not acknowledged (num_ack_pending)';
  }

  async lag(): Promise<number | undefined> {
    if (!this.jsm) return undefined;
    let total = 0;
    for (let s = 0; s < this.ctx.subscriptions; s++) {
      const info = await this.jsm.consumers.info(this.stream, this.group(s));
      total += info.num_pending + info.num_ack_pending;
    }
    return total;
  }

  get finalReadSource(): string | undefined {
    return this.target.mode === 'core' ? undefined : FINAL_READ_SOURCE;
  }

  get finalReadUnavailable(): string | undefined {
    return this.target.mode === 'core' ? 'NATS core keeps nothing to read back: a loss is not proven by a final read' : undefined;
  }

  async finalRead(sink: FinalReadSink, deadlineMs: number): Promise<{ complete: boolean; why?: string }> {
    if (!this.admin || !this.jsm) return { complete: false, why: this.finalReadUnavailable ?? 'the stream was never set up' };
    return readStream(this.admin, this.jsm, this.stream, sink, deadlineMs);
  }

  async setup(): Promise<void> {
    this.admin ??= await this.connect('admin');
    if (this.target.mode === 'core') return;
    this.jsm ??= await jetstreamManager(this.admin, { timeout: this.target.requestTimeout });
    const s = this.target.stream;
    try {
      await this.jsm.streams.info(this.stream);
    } catch {
      await this.jsm.streams.add({ name: this.stream, subjects: [`${this.stream}.>`], storage: s.storage === 'memory' ? StorageType.Memory : StorageType.File, duplicate_window: nanos(s.duplicateWindow), num_replicas: s.replicas });
      this.created = true;
    }
    for (let i = 0; i < this.ctx.subscriptions; i++) {
      await this.jsm.consumers.add(this.stream, { durable_name: this.group(i), ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ack_wait: nanos(this.target.consumer.ackWait), max_ack_pending: this.target.consumer.maxAckPending });
    }
  }

  async createProducer(id: number): Promise<Producer> {
    const nc = await this.connect(`producer-${id}`);
    const { mode, idempotent, requestTimeout, retries } = this.target;
    const stream = this.stream;
    const counts = this.counts;
    const publisher = mode === 'core' ? null : new AsyncPublisher(nc);
    return {
      async send(batch: OutgoingEvent[]): Promise<SendOutcome[]> {
        if (!publisher) {
          for (const ev of batch) nc.publish(`${stream}.${ev.key}`, ev.payload);
          return batch.map(() => 'indeterminate');
        }
        const outcomes: SendOutcome[] = batch.map(() => 'indeterminate');
        let todo = batch.map((_, i) => i);
        for (let attempt = 0; todo.length; attempt++) {
          const seqs: number[] = [];
          const acks = await publisher.publish(
            todo.map((i) => ({ subject: `${stream}.${batch[i].key}`, payload: batch[i].payload, ...(idempotent ? { msgID: batch[i].idempotencyKey } : {}) })),
            requestTimeout,
            seqs,
          );
          const again: number[] = [];
          acks.forEach((ack, j) => {
            if (ack === 'ok' || ack === 'duplicate') {
              outcomes[todo[j]] = 'ok';
              // a duplicate's PubAck gives the sequence of the copy already stored
              if (seqs[j] >= 0) [batch[todo[j]].partition, batch[todo[j]].position] = [0, seqs[j]];
              if (ack === 'duplicate') counts.duplicatesRefused++;
            } else {
              counts.sendErrors++;
              counts[`publish.${ack}`] = (counts[`publish.${ack}`] ?? 0) + 1;
              if (attempt < retries) again.push(todo[j]);
            }
          });
          if (again.length) counts.retries = (counts.retries ?? 0) + again.length;
          todo = again;
        }
        return outcomes;
      },
      close: async () => {
        publisher?.close();
        this.connections.delete(nc);
        await nc.drain().catch(() => nc.close());
      },
    };
  }

  async createConsumer(opts: { subscription: number; member: number }, onDelivery: DeliveryHandler): Promise<Consumer> {
    const nc = await this.connect(`consumer-${opts.subscription}-${opts.member}`);
    const sub = opts.subscription;
    if (this.target.mode === 'core') {
      const s: Subscription = nc.subscribe(`${this.stream}.>`, {
        queue: this.group(sub),
        callback: (err, m) => {
          if (!err) onDelivery(m.data, sub);
        },
      });
      return {
        close: async () => {
          s.unsubscribe();
          this.connections.delete(nc);
          await nc.close();
        },
      };
    }
    const js = jetstream(nc, { timeout: this.target.requestTimeout });
    const consumer = await js.consumers.get(this.stream, this.group(sub));
    let messages: ConsumerMessages | null = await consumer.consume({ max_messages: 1000, expires: this.target.consumer.expires });
    const loop = (async () => {
      for await (const m of messages!) {
        const handled = onDelivery(m.data, sub, 0, m.seq);
        if (handled) await handled;
        m.ack();
      }
    })().catch(() => undefined);
    return {
      close: async () => {
        const ms = messages;
        messages = null;
        await ms?.close().catch(() => undefined);
        await settleWithin(2000, loop);
        this.connections.delete(nc);
        await nc.close();
      },
    };
  }

  async teardown(): Promise<void> {
    if (this.jsm && this.created) await this.jsm.streams.delete(this.stream).catch(() => undefined);
    else if (this.jsm) for (let i = 0; i < this.ctx.subscriptions; i++) await this.jsm.consumers.delete(this.stream, this.group(i)).catch(() => undefined);
    for (const nc of this.connections) await nc.close().catch(() => undefined);
    this.connections.clear();
    this.admin = null;
    this.jsm = null;
  }

  stats(): Record<string, number> {
    return { ...this.counts };
  }

  async environment() {
    const version = this.admin?.info?.version;
    return { client: { name: '@nats-io/transport-node', version: clientVersion('@nats-io/transport-node') }, ...(version ? { broker: { version } } : {}) };
  }
}

/**
 * The NATS client settles every request by also rejecting it with a new RequestError("cancelled")
 * that nobody sees (nats-core request.js, RequestOne.cancel()), and capturing that stack was 14% of
 * the CPU at 50k publishes/s when each publish was a request (js.publish); publishes now go through
 * AsyncPublisher, and the JetStream API requests that remain still pay it. request.js reads the class from its errors module at each call, so that
 * one module's RequestError is replaced by a subclass that skips the stack for "cancelled" only; every
 * other error, of this client or anything else in the process, keeps its stack.
 */
function quietCancelledRequests(): void {
  const require = createRequire(import.meta.url);
  const errors = require(path.join(path.dirname(require.resolve('@nats-io/nats-core/internal')), 'errors.js')) as { RequestError: new (message?: string, options?: ErrorOptions) => Error };
  const Base = errors.RequestError;
  if ((Base as { quiet?: boolean }).quiet) return;
  class RequestError extends Base {
    static quiet = true;
    constructor(message?: string, options?: ErrorOptions) {
      const limit = Error.stackTraceLimit;
      if (message === 'cancelled') Error.stackTraceLimit = 0;
      try {
        super(message, options);
      } finally {
        Error.stackTraceLimit = limit;
      }
    }
  }
  errors.RequestError = RequestError;
}
quietCancelledRequests();

export function create(target: NatsTarget, ctx: AdapterContext): Adapter {
  return new NatsAdapter(target, ctx);
}
