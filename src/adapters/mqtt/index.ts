// MQTT through mqtt.js: events published to <prefix>/<key> at QoS 0, 1 or 2; each subscription is
// one subscriber, or a shared subscription ($share/<group>/...) when it has several consumers.
import mqtt, { type MqttClient } from 'mqtt';
import { clientVersion } from '../client-version.js';
import { withTimeout } from '../../timeout.js';
import { unreachable } from '../unreachable.js';
import type { SendOutcome } from '../../observe/outcome.js';
import type { Adapter, AdapterContext, Capabilities, Consumer, DeliveryHandler, OutgoingEvent, Producer } from '../types.js';
import type { MqttTarget } from './config.js';

export const capabilities: Capabilities = { orderedPerKey: false, producerIdempotence: false, ackModes: ['qos0', 'qos1', 'qos2'] };

class MqttAdapter implements Adapter {
  readonly name = 'mqtt';
  readonly finalReadUnavailable = 'an MQTT broker keeps no log of a topic and no positions: there is nothing to read back, so a loss is not proven by a final read';
  readonly lagUnavailable = 'MQTT has no standard way to ask a broker for a session’s queued messages (Mosquitto publishes no per-client backlog)';
  readonly capabilities = capabilities;
  private readonly prefix: string;
  private readonly clients = new Set<MqttClient>();
  private readonly sessions = new Set<string>();
  private readonly counts: Record<string, number> = { sendErrors: 0, reconnects: 0 };

  constructor(
    private readonly target: MqttTarget,
    private readonly ctx: AdapterContext,
  ) {
    this.prefix = target.topic ?? ctx.resourceName;
  }

  private async connect(clientId: string, clean: boolean): Promise<MqttClient> {
    try {
      const client = await mqtt.connectAsync(this.target.url, { clientId, clean, keepalive: Math.max(1, Math.round(this.target.keepalive / 1000)), connectTimeout: 3000, reconnectPeriod: 500, queueQoSZero: false });
      client.on('error', () => undefined);
      client.on('reconnect', () => this.counts.reconnects++);
      this.clients.add(client);
      return client;
    } catch (err) {
      throw unreachable('MQTT', this.target.url, err, 'url');
    }
  }

  async setup(): Promise<void> {
    // Topics need no setup; check the broker answers so an unreachable one fails before the load.
    const probe = await this.connect(`${this.ctx.resourceName}-setup`.slice(0, 64), true);
    this.clients.delete(probe);
    await probe.endAsync();
  }

  async createProducer(id: number): Promise<Producer> {
    const client = await this.connect(`${this.ctx.resourceName}-p${id}`.slice(0, 64), true);
    const { qos, requestTimeout } = this.target;
    const prefix = this.prefix;
    const counts = this.counts;
    return {
      async send(batch: OutgoingEvent[]): Promise<SendOutcome[]> {
        return Promise.all(
          batch.map(async (ev): Promise<SendOutcome> => {
            try {
              await withTimeout(requestTimeout, client.publishAsync(`${prefix}/${ev.key}`, Buffer.from(ev.payload.buffer, ev.payload.byteOffset, ev.payload.byteLength), { qos }));
              return qos === 0 ? 'indeterminate' : 'ok';
            } catch {
              counts.sendErrors++;
              return 'indeterminate';
            }
          }),
        );
      },
      close: async () => {
        this.clients.delete(client);
        await withTimeout(3000, client.endAsync()).catch(() => client.end(true));
      },
    };
  }

  async createConsumer(opts: { subscription: number; member: number }, onDelivery: DeliveryHandler): Promise<Consumer> {
    const clientId = `${this.ctx.resourceName}-s${opts.subscription}-m${opts.member}`.slice(0, 64);
    const client = await this.connect(clientId, this.target.clean);
    if (!this.target.clean) this.sessions.add(clientId);
    const sub = opts.subscription;
    client.on('message', (_topic, payload) => onDelivery(payload, sub));
    const filter = `${this.prefix}/#`;
    const shared = this.ctx.subscriptions > 1 || opts.member > 0 ? `$share/${this.ctx.resourceName}-s${sub}/${filter}` : filter;
    await client.subscribeAsync(shared, { qos: this.target.qos });
    return {
      close: async () => {
        this.clients.delete(client);
        await withTimeout(3000, client.endAsync()).catch(() => client.end(true));
      },
    };
  }

  async teardown(): Promise<void> {
    for (const c of this.clients) await withTimeout(3000, c.endAsync()).catch(() => c.end(true));
    this.clients.clear();
    // Persistent sessions outlive their clients: reconnect each clean so the broker drops it.
    for (const id of this.sessions) {
      try {
        const c = await mqtt.connectAsync(this.target.url, { clientId: id, clean: true, connectTimeout: 2000, reconnectPeriod: 0 });
        await c.endAsync();
      } catch {
        /* best effort */
      }
    }
    this.sessions.clear();
  }

  stats(): Record<string, number> {
    return { ...this.counts };
  }

  async environment() {
    return { client: { name: 'mqtt.js', version: clientVersion('mqtt') } };
  }
}

export function create(target: MqttTarget, ctx: AdapterContext): Adapter {
  return new MqttAdapter(target, ctx);
}
