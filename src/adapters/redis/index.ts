// Redis Streams through ioredis: XADD in pipelines, consumer groups with XREADGROUP and XACK, and
// XAUTOCLAIM of entries left pending by consumers that died.
import { Redis, ReplyError } from 'ioredis';
import { clientVersion } from '../client-version.js';
import { EnvironmentError } from '../../errors.js';
import { settleWithin, withTimeout } from '../../timeout.js';
import { entryPosition } from './entry-id.js';
import { GroupMember } from './group-member.js';
import { unreachable } from '../unreachable.js';
import type { SendOutcome } from '../../observe/outcome.js';
import type { Adapter, AdapterContext, Capabilities, Consumer, DeliveryHandler, FinalReadSink, OutgoingEvent, Producer } from '../types.js';
import { clusterAddresses } from '../../cluster/local.js';
import type { RedisTarget } from './config.js';

// One stream: entries are in one total order, but a consumer group hands them to several consumers
// whose replies race, so order per key is not promised.
export const capabilities: Capabilities = { orderedPerKey: false, producerIdempotence: false, ackModes: ['xadd'] };

const FIELD = 'e';

/** The Sentinels of a local cluster listen here and watch the primary under this name (scripts/cluster.sh). */
const SENTINEL_PORT = 26379;
const SENTINEL_MASTER = 'faultline';

class RedisAdapter implements Adapter {
  readonly name = 'redis';
  readonly capabilities = capabilities;
  private readonly stream: string;
  private admin: Redis | null = null;
  private readonly connections = new Set<Redis>();
  private readonly loops = new Set<Promise<void>>();
  private stopping = false;
  private readonly counts: Record<string, number> = { sendErrors: 0, readErrors: 0, ackErrors: 0, reclaimed: 0, rereadPending: 0, groupsRecreated: 0 };

  constructor(
    private readonly target: RedisTarget,
    private readonly ctx: AdapterContext,
  ) {
    this.stream = target.stream.name ?? ctx.resourceName;
  }

  private get address(): string {
    return this.target.cluster
      ? `the Sentinels of ${this.sentinels()
          .map((s) => `${s.host}:${s.port}`)
          .join(', ')}`
      : `${this.target.host}:${this.target.port}`;
  }

  private sentinels(): { host: string; port: number }[] {
    return this.target.cluster ? clusterAddresses(this.target.cluster).map((a) => ({ host: a.split(':')[0], port: SENTINEL_PORT })) : [];
  }

  /** Where clients connect: host and port, or (a cluster) the primary its Sentinels name, followed through failovers. */
  private where() {
    if (!this.target.cluster) return { host: this.target.host, port: this.target.port };
    return {
      sentinels: this.sentinels(),
      name: SENTINEL_MASTER,
      failoverDetector: true,
      // a demoted primary answers writes (and XREADGROUP) with READONLY: reconnect, through the Sentinels
      reconnectOnError: (err: Error) => (/READONLY/.test(err.message) ? 2 : false),
    } as const;
  }

  /** The primary as most Sentinels name it (its host): a Sentinel that was cut off may still name the old one. */
  async leader(): Promise<string | undefined> {
    const answers = await Promise.all(
      this.sentinels().map(async (s) => {
        const r = new Redis({ ...s, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000, commandTimeout: 1000 });
        r.on('error', () => undefined);
        try {
          await r.connect();
          return ((await r.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_MASTER)) as string[] | null)?.[0];
        } catch {
          return undefined; // this Sentinel is cut off or down
        } finally {
          r.disconnect();
        }
      }),
    );
    const votes = new Map<string, number>();
    for (const a of answers) if (a) votes.set(a, (votes.get(a) ?? 0) + 1);
    return [...votes].sort((x, y) => y[1] - x[1])[0]?.[0];
  }

  private async connect(name: string, producer = false): Promise<Redis> {
    const r = new Redis({
      autoResendUnfulfilledCommands: producer ? this.target.resendUnanswered : true,
      ...this.where(),
      lazyConnect: true,
      connectionName: `faultline-${name}`,
      connectTimeout: 3000,
      // Producers bound each pipeline with one timer (below): ioredis' commandTimeout arms a timer per
      // command, which was a tenth of the CPU at 130k XADD/s.
      ...(producer ? {} : { commandTimeout: this.target.requestTimeout }),
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    r.on('error', () => undefined); // reconnects on its own; failures surface as command errors
    try {
      await r.connect();
    } catch (err) {
      r.disconnect();
      throw unreachable('Redis', this.address, err, 'host and port', this.target.cluster);
    }
    this.connections.add(r);
    return r;
  }

  readonly finalReadSource = 'the stream, from its first entry to its last (XRANGE)';

  /** XRANGE over the whole stream in pages, on a connection of its own; an entry's position is its ID (entry-id.ts). */
  async finalRead(sink: FinalReadSink, deadlineMs: number): Promise<{ complete: boolean; why?: string }> {
    const r = await this.connect('final-read');
    const until = Date.now() + deadlineMs;
    try {
      let from = '-';
      for (;;) {
        if (Date.now() > until) return { complete: false, why: `the final read did not reach the end of the stream within ${deadlineMs / 1000} s` };
        const page = (await r.xrangeBuffer(this.stream, from, '+', 'COUNT', 1000)) as [Buffer, Buffer[]][];
        for (const [id, fields] of page) sink.payload(fields[1] ?? new Uint8Array(0), 0, entryPosition(id));
        if (page.length < 1000) return { complete: true };
        from = `(${page[page.length - 1][0].toString()}`;
      }
    } finally {
      this.connections.delete(r);
      r.disconnect();
    }
  }

  private group(subscription: number): string {
    return `${this.target.consumer.group ?? this.ctx.resourceName}-s${subscription}`;
  }

  async setup(): Promise<void> {
    this.admin ??= await this.connect('admin');
    for (let s = 0; s < this.ctx.subscriptions; s++) {
      try {
        await this.admin.xgroup('CREATE', this.stream, this.group(s), '0', 'MKSTREAM');
      } catch (err) {
        if (!/BUSYGROUP/.test((err as Error).message)) throw new EnvironmentError(`Redis could not create group ${this.group(s)} on ${this.stream}: ${(err as Error).message}`);
      }
    }
  }

  async createProducer(id: number): Promise<Producer> {
    const r = await this.connect(`producer-${id}`, true);
    const stream = this.stream;
    const trim = this.target.stream.maxlen ? ['MAXLEN', '~', String(this.target.stream.maxlen)] : [];
    const counts = this.counts;
    const timeout = this.target.requestTimeout;
    const wait = this.target.wait;
    return {
      async send(batch: OutgoingEvent[]): Promise<SendOutcome[]> {
        const p = r.pipeline();
        for (const ev of batch) p.xadd(stream, ...trim, '*', FIELD, Buffer.from(ev.payload.buffer, ev.payload.byteOffset, ev.payload.byteLength));
        try {
          if (wait) p.call('WAIT', String(wait.replicas), String(Math.round(wait.timeout)));
          const replies = (await withTimeout(timeout + (wait?.timeout ?? 0), p.exec())) ?? [];
          // WAIT answers how many replicas have every write so far: fewer than asked leaves the batch unknown
          if (wait && Number(replies[batch.length]?.[1] ?? 0) < wait.replicas) {
            counts.notReplicated = (counts.notReplicated ?? 0) + 1;
            return batch.map(() => 'indeterminate');
          }
          // A reply error is Redis refusing that command (definite); a connection error or a
          // missing reply leaves it unknown whether the entry was written.
          return batch.map((ev, i) => {
            const err = replies[i]?.[0];
            if (!replies[i]) return 'indeterminate';
            if (!err) {
              // where the stream put it: the entry ID XADD answered
              ev.partition = 0;
              ev.position = entryPosition(replies[i][1] as string);
              return 'ok';
            }
            counts.sendErrors++;
            return err instanceof ReplyError ? 'failed' : 'indeterminate';
          });
        } catch {
          counts.sendErrors++;
          return batch.map(() => 'indeterminate');
        }
      },
      close: async () => {
        this.connections.delete(r);
        r.disconnect();
      },
    };
  }

  readonly lagSource = 'XINFO GROUPS: entries not yet read by the group (lag) + read and not acknowledged (pending)';

  async lag(): Promise<number | undefined> {
    const groups = (await this.admin?.call('XINFO', 'GROUPS', this.stream)) as unknown[][] | undefined;
    if (!groups) return undefined;
    const ours = new Set(Array.from({ length: this.ctx.subscriptions }, (_, s) => this.group(s)));
    let total = 0;
    for (const fields of groups) {
      const field = (k: string) => fields[fields.indexOf(k) + 1];
      if (!ours.has(String(field('name')))) continue;
      const lag = field('lag');
      // Redis gives no lag when it cannot tell (entries deleted inside the group's range)
      if (typeof lag !== 'number') return undefined;
      total += lag + Number(field('pending'));
    }
    return total;
  }

  async createConsumer(opts: { subscription: number; member: number }, onDelivery: DeliveryHandler): Promise<Consumer> {
    const r = await this.connect(`consumer-${opts.subscription}-${opts.member}`);
    const member = new GroupMember(r, { ...this.target.consumer, stream: this.stream, group: this.group(opts.subscription), name: `c${opts.member}`, subscription: opts.subscription, counts: this.counts, stopping: () => this.stopping, onDelivery });
    this.loops.add(member.loop);
    return {
      close: async () => {
        await member.stop();
        this.loops.delete(member.loop);
        this.connections.delete(r);
        r.disconnect();
      },
    };
  }

  async teardown(): Promise<void> {
    this.stopping = true;
    await settleWithin(1000, Promise.allSettled([...this.loops]));
    if (this.admin && !this.target.stream.name) await this.admin.del(this.stream).catch(() => undefined);
    // A named stream outlives the run; the groups this run made on it do not.
    else if (this.admin) for (let s = 0; s < this.ctx.subscriptions; s++) await this.admin.xgroup('DESTROY', this.stream, this.group(s)).catch(() => undefined);
    for (const c of this.connections) c.disconnect();
    this.connections.clear();
    this.admin = null;
  }

  stats(): Record<string, number> {
    return { ...this.counts };
  }

  async environment() {
    let version: string | undefined;
    try {
      version = /redis_version:(\S+)/.exec((await this.admin?.info('server')) ?? '')?.[1];
    } catch {
      /* not essential */
    }
    return { client: { name: 'ioredis', version: clientVersion('ioredis') }, ...(version ? { broker: { version } } : {}) };
  }
}

export function create(target: RedisTarget, ctx: AdapterContext): Adapter {
  return new RedisAdapter(target, ctx);
}
