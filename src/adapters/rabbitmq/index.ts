// RabbitMQ through amqplib: queues (classic, quorum, stream) behind the default exchange or a
// direct/topic/fanout one, publisher confirms, manual acks after the effect; a lost connection makes
// sends indeterminate and the link reconnects on its own.
import amqp, { type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { clientVersion } from '../client-version.js';
import { settleWithin, withTimeout } from '../../timeout.js';
import { ScenarioError } from '../../errors.js';
import { unreachable } from '../unreachable.js';
import type { SendOutcome } from '../../observe/outcome.js';
import { deliveryPosition } from './stream-read.js';
import { finalReadSource, finalReadUnavailable, readQueues } from './final-read.js';
import type { Adapter, AdapterContext, Capabilities, Consumer, DeliveryHandler, FinalReadSink, OutgoingEvent, Producer } from '../types.js';
import { clusterAddresses } from '../../cluster/local.js';
import { urlsOf, type RabbitmqTarget } from './config.js';

// Competing consumers on one queue interleave a key's events: no order per key is promised.
export const capabilities: Capabilities = { orderedPerKey: false, producerIdempotence: false, ackModes: ['confirms', 'none'] };

const ROUTING_KEY = 'faultline';
const safeUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//');

class RabbitAdapter implements Adapter {
  readonly name = 'rabbitmq';
  readonly capabilities = capabilities;
  private readonly base: string;
  private admin: ChannelModel | null = null;
  private readonly models = new Set<ChannelModel>();
  private closing = false;
  /** The next of the target's URLs to connect to: a cluster's connections spread over its nodes, and a lost one moves on. */
  private next = 0;
  private readonly counts: Record<string, number> = { sendErrors: 0, nacks: 0, reconnects: 0, redelivered: 0 };

  constructor(
    private readonly target: RabbitmqTarget,
    private readonly ctx: AdapterContext,
  ) {
    this.base = target.queue.name ?? ctx.resourceName;
  }

  /** A stream is read back from its first offset; a classic or quorum queue by what is left in it (final-read.ts). */
  get finalReadUnavailable(): string | undefined {
    return finalReadUnavailable(this.target, this.ctx);
  }

  get finalReadSource(): string {
    return finalReadSource(this.target);
  }

  async finalRead(sink: FinalReadSink, deadlineMs: number): Promise<{ complete: boolean; why?: string }> {
    const model = await this.connect();
    try {
      const shared = this.target.exchange === 'default';
      const queues = Array.from({ length: shared ? 1 : this.ctx.subscriptions }, (_, s) => ({ queue: this.queue(s), ...(shared ? {} : { subscription: s }) }));
      return await readQueues(model, this.target, queues, sink, deadlineMs, () => [...this.unacked].reduce((n, u) => n + u.n, 0));
    } finally {
      this.models.delete(model);
      await model.close().catch(() => undefined);
    }
  }

  private queue(subscription: number): string {
    return this.target.exchange === 'default' ? this.base : `${this.base}-s${subscription}`;
  }

  private async connect(): Promise<ChannelModel> {
    const urls = urlsOf(this.target);
    let model: ChannelModel | undefined;
    let failure: unknown;
    for (let tried = 0; tried < urls.length && !model; tried++) {
      const base = urls[this.next++ % urls.length];
      try {
        model = await amqp.connect(`${base}${base.includes('?') ? '&' : '?'}heartbeat=${Math.max(1, Math.round(this.target.heartbeat / 1000))}`, { timeout: 3000 });
      } catch (err) {
        failure = err;
      }
    }
    if (!model) throw unreachable('RabbitMQ', urls.map(safeUrl).join(', '), failure, 'url', this.target.cluster);
    model.on('error', () => undefined); // a lost connection shows as 'close'
    model.on('close', () => this.models.delete(model));
    this.models.add(model);
    return model;
  }

  /** One queue per subscription; a publish-only run (no subscriptions) still stores into one, like PerfTest's -y 0. */
  private get queueCount(): number {
    return Math.max(1, this.ctx.subscriptions);
  }

  async setup(): Promise<void> {
    if (this.target.exchange === 'default' && this.ctx.subscriptions > 1) throw new ScenarioError('RabbitMQ with the default exchange has one queue: several subscriptions need exchange: fanout');
    this.admin ??= await this.connect();
    const ch = await this.admin.createChannel();
    ch.on('error', () => undefined);
    const q = this.target.queue;
    try {
      if (this.target.exchange !== 'default') await ch.assertExchange(this.base, this.target.exchange, { durable: q.durable });
      for (let s = 0; s < this.queueCount; s++) {
        await ch.assertQueue(this.queue(s), { durable: q.type === 'classic' ? q.durable : true, arguments: { 'x-queue-type': q.type } });
        if (this.target.exchange !== 'default') await ch.bindQueue(this.queue(s), this.base, this.target.exchange === 'topic' ? '#' : ROUTING_KEY);
      }
    } catch (err) {
      throw new ScenarioError(`RabbitMQ refused the topology for ${this.base}: ${(err as Error).message} (an existing queue with other settings? use another name)`);
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  /** The leader of the run's (first) quorum queue, as the management API of a cluster's node names it (rabbit@<address>). */
  async leader(): Promise<string | undefined> {
    if (!this.target.cluster) return undefined;
    for (const address of clusterAddresses(this.target.cluster)) {
      const res = await fetch(`http://${address.split(':')[0]}:15672/api/queues/%2F/${encodeURIComponent(this.queue(0))}`, {
        headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` },
        signal: AbortSignal.timeout(2000),
      }).catch(() => null);
      if (res?.ok) return ((await res.json()) as { leader?: string }).leader;
    }
    return undefined;
  }

  // RabbitMQ's management API reports a queue's figures from statistics events: seconds late, and
  // left standing once a queue goes idle (a run's last samples read 362 unacknowledged for 4 s after
  // every message was acknowledged). So: ready from queue.declare (passive, answered by the queue
  // itself), plus what the run's consumer channels hold unacknowledged, the broker's count for those
  // channels (deliveries the channel received minus acknowledgements it sent).
  readonly lagSource = 'messages ready (queue.declare, passive) + delivered to the consumers’ channels and not yet acknowledged';
  private lagChannel: Promise<Channel> | null = null;
  private readonly unacked = new Set<{ n: number }>();

  async lag(): Promise<number | undefined> {
    if (!this.admin || this.closing) return undefined;
    this.lagChannel ??= this.admin.createChannel().then((c) => {
      c.on('error', () => undefined);
      c.on('close', () => (this.lagChannel = null));
      return c;
    });
    const ch = await this.lagChannel;
    let ready = 0;
    for (let s = 0; s < this.ctx.subscriptions; s++) ready += (await ch.checkQueue(this.queue(s))).messageCount;
    let held = 0;
    for (const u of this.unacked) held += u.n;
    return ready + held;
  }

  async createProducer(): Promise<Producer> {
    const { confirms, persistent } = this.target.publisher;
    const exchange = this.target.exchange === 'default' ? '' : this.base;
    const routingKey = this.target.exchange === 'default' ? this.base : ROUTING_KEY;
    const counts = this.counts;
    let ch: Channel | ConfirmChannel | null = null;
    let opening: Promise<Channel | ConfirmChannel> | null = null;
    const open = async () => {
      const model = await this.connect();
      const c = confirms ? await model.createConfirmChannel() : await model.createChannel();
      c.on('error', () => undefined);
      c.on('close', () => {
        if (ch === c) ch = null;
        model.close().catch(() => undefined);
      });
      return c;
    };
    const channel = async () => {
      if (ch) return ch;
      counts.reconnects++;
      opening ??= open().finally(() => (opening = null));
      ch = await opening;
      return ch;
    };
    ch = await open();
    const timeout = this.target.requestTimeout;
    return {
      async send(batch: OutgoingEvent[]): Promise<SendOutcome[]> {
        let c: Channel | ConfirmChannel;
        try {
          c = await withTimeout(timeout, channel());
        } catch {
          counts.sendErrors++;
          return batch.map(() => 'indeterminate');
        }
        const confirmations = batch.map(
          (ev) =>
            new Promise<SendOutcome>((resolve) => {
              const content = Buffer.from(ev.payload.buffer, ev.payload.byteOffset, ev.payload.byteLength);
              try {
                if (confirms) {
                  (c as ConfirmChannel).publish(exchange, routingKey, content, { persistent }, (err) => {
                    if (err) counts.nacks++;
                    // a nack or a closed channel: the broker may or may not have the message
                    resolve(err ? 'indeterminate' : 'ok');
                  });
                } else {
                  c.publish(exchange, routingKey, content, { persistent });
                  resolve('indeterminate');
                }
              } catch {
                counts.sendErrors++;
                resolve('indeterminate');
              }
            }),
        );
        const settled = await settleWithin(timeout, Promise.all(confirmations));
        return settled ?? batch.map(() => 'indeterminate');
      },
      close: async () => {
        const c = ch;
        ch = null;
        await c?.close().catch(() => undefined);
      },
    };
  }

  async createConsumer(opts: { subscription: number; member: number }, onDelivery: DeliveryHandler): Promise<Consumer> {
    const queue = this.queue(opts.subscription);
    const { prefetch, ack } = this.target.consumer;
    const noAck = ack === 'auto' && this.target.queue.type !== 'stream';
    const sub = opts.subscription;
    let closed = false;
    let ch: Channel | null = null;
    const start = async (): Promise<void> => {
      const model = await this.connect();
      const c = await model.createChannel();
      c.on('error', () => undefined);
      await c.prefetch(prefetch);
      // What this channel holds unacknowledged: the broker gives it back to the queue when the channel closes.
      const held = { n: 0 };
      if (!noAck) this.unacked.add(held);
      const ackOf = (msg: amqp.ConsumeMessage) => {
        held.n--;
        c.ack(msg);
      };
      await c.consume(
        queue,
        (msg) => {
          if (!msg) return;
          if (msg.fields.redelivered) this.counts.redelivered++;
          if (!noAck) held.n++;
          const handled = onDelivery(msg.content, sub, 0, deliveryPosition(msg, this.counts));
          // a member with a processing delay handles its prefetched messages one at a time (the handler queues them)
          if (handled) void handled.then(() => !noAck && ackOf(msg)).catch(() => undefined);
          else if (!noAck) ackOf(msg);
        },
        { noAck, ...(this.target.queue.type === 'stream' ? { arguments: { 'x-stream-offset': 'first' } } : {}) },
      );
      c.on('close', () => {
        this.unacked.delete(held);
        model.close().catch(() => undefined);
        if (!closed && !this.closing) setTimeout(reconnect, 250);
      });
      ch = c;
    };
    const reconnect = () => {
      if (closed || this.closing) return;
      this.counts.reconnects++;
      this.ctx.onClientEvent?.({ kind: 'reconnect', member: `s${opts.subscription}/m${opts.member}`, reason: 'its channel closed (connection lost or the broker closed it): reconnecting' });
      start().catch(() => setTimeout(reconnect, 500));
    };
    await start();
    return {
      close: async () => {
        closed = true;
        await ch?.close().catch(() => undefined);
      },
    };
  }

  async teardown(): Promise<void> {
    this.closing = true;
    if (this.admin && !this.target.queue.name) {
      try {
        const ch = await this.admin.createChannel();
        ch.on('error', () => undefined);
        for (let s = 0; s < this.queueCount; s++) await ch.deleteQueue(this.queue(s)).catch(() => undefined);
        if (this.target.exchange !== 'default') await ch.deleteExchange(this.base).catch(() => undefined);
        await ch.close().catch(() => undefined);
      } catch {
        /* best effort: the broker may be gone */
      }
    }
    for (const m of [...this.models]) await m.close().catch(() => undefined);
    this.models.clear();
    this.admin = null;
  }

  stats(): Record<string, number> {
    return { ...this.counts };
  }

  async environment() {
    const props = (this.admin as unknown as { connection?: { serverProperties?: { version?: string } } } | null)?.connection?.serverProperties;
    return { client: { name: 'amqplib', version: clientVersion('amqplib') }, ...(props?.version ? { broker: { version: props.version } } : {}) };
  }
}

export function create(target: RabbitmqTarget, ctx: AdapterContext): Adapter {
  return new RabbitAdapter(target, ctx);
}
