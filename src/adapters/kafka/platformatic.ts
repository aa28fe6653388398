// Kafka through @platformatic/kafka (`client: platformatic`): the same target options, topics, header
// envelope and group semantics as the kafkajs adapter, with several produce requests in flight per
// producer when it is not idempotent (the client pipelines them on one connection per broker, so a
// partition's order holds unless a request is retried: then Kafka itself may reorder, and faultline says so).
import { Admin, Consumer as PConsumer, Producer as PProducer, stringDeserializer } from '@platformatic/kafka';
import { clientVersion } from '../client-version.js';
import { settleWithin } from '../../timeout.js';
import { EnvironmentError } from '../../errors.js';
import { unreachable } from '../unreachable.js';
import type { Adapter, AdapterContext, CommittedPosition, Consumer, DeliveryHandler, FinalReadSink, OutgoingEvent, Producer } from '../types.js';
import { FINAL_READ_SOURCE, readTopic } from './final-read.js';
import { brokersOf, type KafkaTarget } from './config.js';
import { ACKS, capabilities, checkPartitions, committedPositions, isNetwork, groupLag, groupsSettled, HEADER, LAG_SOURCE, topicConfigs } from './shared.js';
import { RequestPipeline } from './request-pipeline.js';
import { CLOSE_WITHIN_MS, ReopeningStream, type Delivered } from './platformatic-stream.js';
import { guardMissingBrokers } from './platformatic-guard.js';

export { capabilities };

const COMMIT_EVERY_MS = 1000;

class PlatformaticKafkaAdapter implements Adapter {
  readonly name = 'kafka';
  readonly capabilities = capabilities;
  private readonly topic: string;
  private readonly base: { clientId: string; bootstrapBrokers: string[]; connectTimeout: number };
  private admin: Admin | null = null;
  private created = false;
  private readonly producers = new Set<PProducer>();
  private readonly consumers = new Set<{ consumer: PConsumer<Buffer, Buffer, string, Buffer>; stream: ReopeningStream; commit: () => Promise<void> }>();
  private readonly members = new Set<{ subscription: number; partitions: () => number }>();
  private readonly counts: Record<string, number> = { sendErrors: 0, streamErrors: 0, commitErrors: 0, rebalances: 0 };

  constructor(
    private readonly target: KafkaTarget,
    private readonly ctx: AdapterContext,
  ) {
    this.topic = target.topic.name ?? ctx.resourceName;
    this.base = { clientId: `faultline-${ctx.runId}`, bootstrapBrokers: brokersOf(target), connectTimeout: 3000 };
  }

  readonly finalReadSource = FINAL_READ_SOURCE;

  finalRead(sink: FinalReadSink, deadlineMs: number): Promise<{ complete: boolean; why?: string }> {
    return readTopic(this.target, this.topic, this.ctx.runId, sink, deadlineMs);
  }

  private unreachable(err: unknown): EnvironmentError {
    return unreachable('Kafka', brokersOf(this.target).join(', '), err, 'brokers', this.target.cluster);
  }

  async setup(): Promise<void> {
    this.admin ??= guardMissingBrokers(new Admin({ ...this.base, retries: 2, retryDelay: 200, timeout: 10_000 }));
    const t = this.target.topic;
    let have: number;
    try {
      const existing = await this.admin.listTopics();
      if (existing.includes(this.topic)) {
        have = (await this.admin.metadata({ topics: [this.topic] })).topics.get(this.topic)?.partitionsCount ?? 0;
      } else {
        await this.admin.createTopics({ topics: [this.topic], partitions: t.partitions, replicas: t.replicationFactor, configs: topicConfigs(t) });
        this.created = true;
        have = t.partitions;
        await this.waitForLeaders();
      }
    } catch (err) {
      if (isNetwork(err)) throw this.unreachable(err);
      throw new EnvironmentError(`Kafka could not create topic ${this.topic}: ${(err as Error).message}`);
    }
    checkPartitions(this.topic, have, t.partitions);
  }

  readonly lagSource = LAG_SOURCE;

  async lag(): Promise<number | undefined> {
    if (!this.admin) return undefined;
    const ends = await this.ends(this.admin);
    let total = 0;
    for (let s = 0; s < this.ctx.subscriptions; s++) total += groupLag(ends, await this.groupCommits(s));
    return total;
  }

  /** Whether subscription s's group has events to read (its lag above 0). */
  private async behind(s: number): Promise<boolean> {
    return !!this.admin && groupLag(await this.ends(this.admin), await this.groupCommits(s)) > 0;
  }

  /** Each partition's first and end offsets. */
  private async ends(admin: Admin): Promise<{ partition: number; low: bigint; high: bigint }[]> {
    const partitions = Array.from({ length: this.target.topic.partitions }, (_, i) => i);
    const at = async (timestamp: bigint) => new Map((await admin.listOffsets({ topics: [{ name: this.topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) }] }))[0]?.partitions.map((p) => [p.partitionIndex, p.offset]) ?? []);
    // -2: the earliest offset, -1: the end
    const [low, high] = await Promise.all([at(-2n), at(-1n)]);
    return partitions.map((partition) => ({ partition, low: low.get(partition) ?? 0n, high: high.get(partition) ?? 0n }));
  }

  /** Subscription s's group: its committed offset per partition (-1 where it has none). */
  private async groupCommits(s: number): Promise<Map<number, bigint>> {
    const groupId = `${this.target.consumer.group ?? this.ctx.resourceName}-s${s}`;
    const partitionIndexes = Array.from({ length: this.target.topic.partitions }, (_, i) => i);
    const [group] = await this.admin!.listConsumerGroupOffsets({ groups: [{ groupId, topics: [{ name: this.topic, partitionIndexes }] }] });
    const parts = group?.topics.find((t) => t.name === this.topic)?.partitions ?? [];
    return new Map(parts.map((p) => [p.partitionIndex, p.committedOffset]));
  }

  async committed(): Promise<CommittedPosition[]> {
    return this.admin ? committedPositions(this.ctx.subscriptions, (s) => this.groupCommits(s)) : [];
  }

  /** A new topic's partitions have leaders within moments; producing before that fails. */
  private async waitForLeaders(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const topic = (await this.admin!.metadata({ topics: [this.topic], forceUpdate: true }).catch(() => null))?.topics.get(this.topic);
      if (topic && topic.partitions.length === this.target.topic.partitions && topic.partitions.every((p) => p.leader >= 0)) return;
      if (Date.now() > deadline) {
        const leaderless = topic ? topic.partitions.flatMap((p, i) => (p.leader < 0 ? [`${i} (in-sync replicas: ${p.isr.join(',') || 'none'})`] : [])) : [];
        throw new Error(topic ? `partitions without a leader after 30 s: ${leaderless.join(', ')}` : 'no metadata for it after 30 s');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async leader(): Promise<number | undefined> {
    const meta = await this.admin?.metadata({ topics: [this.topic], forceUpdate: true });
    return meta?.topics.get(this.topic)?.partitions[0]?.leader;
  }

  async createProducer(): Promise<Producer> {
    const p = this.target.producer;
    const producer = guardMissingBrokers(
      new PProducer({
        ...this.base,
        acks: ACKS[p.acks],
        idempotent: p.idempotent,
        compression: p.compression,
        retries: p.retries,
        retryDelay: 100,
        timeout: p.requestTimeout,
        requestTimeout: p.requestTimeout,
        autocreateTopics: false,
      }),
    );
    this.producers.add(producer);
    try {
      await producer.metadata({ topics: [this.topic] });
    } catch (err) {
      throw this.unreachable(err);
    }
    // An idempotent producer sends one request at a time: @platformatic/kafka 1.x numbers concurrent
    // idempotent sends wrongly (OUT_OF_ORDER_SEQUENCE_NUMBER, and acknowledged events dropped:
    // upstream issue 326, fixed in 2.x, which needs Node 22). faultline's ledger showed both.
    const pipeline = new RequestPipeline(producer, this.topic, p.idempotent ? 1 : (p.maxInFlightRequests ?? 5), ACKS[p.acks], this.counts);
    return {
      send: (batch: OutgoingEvent[]) => pipeline.send(batch),
      close: async () => {
        this.producers.delete(producer);
        await producer.close();
      },
    };
  }

  /** A consumer of the group, its rebalances counted and logged. */
  private newConsumer(groupId: string, who: string): PConsumer<Buffer, Buffer, string, Buffer> {
    const c = this.target.consumer;
    const k = guardMissingBrokers(
      new PConsumer<Buffer, Buffer, string, Buffer>({
        ...this.base,
        groupId,
        sessionTimeout: c.sessionTimeout,
        heartbeatInterval: Math.max(100, Math.floor(c.sessionTimeout / 5)),
        rebalanceTimeout: c.sessionTimeout,
        maxWaitTime: 100,
        autocommit: false,
        retries: 10,
        retryDelay: 200,
        deserializers: { headerKey: stringDeserializer },
      }),
    );
    k.on('consumer:group:join', () => {
      this.counts.rebalances++;
      this.ctx.onClientEvent?.({ kind: 'rebalance', member: who, reason: 'joined the group' });
    });
    return k;
  }

  /** A member's stream ended by the client (or replaced by the watchdog): counted and logged. */
  private streamFailed(who: string, err: unknown, then: string): void {
    this.counts.streamErrors++;
    const e = err as { name?: string; message?: string } | undefined;
    this.ctx.onClientEvent?.({ kind: 'crash', member: who, reason: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}; ${then}` });
  }

  async createConsumer(opts: { subscription: number; member: number }, onDelivery: DeliveryHandler): Promise<Consumer> {
    const c = this.target.consumer;
    const groupId = `${c.group ?? this.ctx.resourceName}-s${opts.subscription}`;
    const make = () => this.newConsumer(groupId, `s${opts.subscription}/m${opts.member}`);
    // the member's consumer: replaced when its stream goes quiet (ReopeningStream's watchdog)
    let consumer = make();
    const renew = async (old: PConsumer<Buffer, Buffer, string, Buffer>) => {
      // a broken client may never finish closing
      await settleWithin(CLOSE_WITHIN_MS, closeQuietly(old));
      return (consumer = make());
    };
    const member = { subscription: opts.subscription, partitions: () => consumer.assignments?.find((a) => a.topic === this.topic)?.partitions.length ?? 0 };
    this.members.add(member);
    // Offsets are marked per partition (after or before the effect, as the scenario says) and
    // committed every second and on close: the same at-least-once window as kafkajs' autoCommitInterval.
    const marked = new Map<number, bigint>();
    const before = c.commit === 'before-effect';
    const sub = opts.subscription;
    const who = `s${sub}/m${opts.member}`;
    const onMessage = (m: Delivered): Promise<void> | undefined => {
      if (before) marked.set(m.partition, m.offset + 1n);
      const env = m.headers.get(HEADER);
      const handled = onDelivery(env ?? m.value ?? new Uint8Array(0), sub, m.partition, Number(m.offset));
      // a processing delay: its offset is marked once it is handled
      if (handled) return before ? handled : handled.then(() => void marked.set(m.partition, m.offset + 1n));
      if (!before) marked.set(m.partition, m.offset + 1n);
      return undefined;
    };
    const onFailure = (err: unknown, then: string) => this.streamFailed(who, err, then);
    const stream = new ReopeningStream(consumer, { topics: [this.topic], mode: 'committed', fallbackMode: c.fromBeginning ? 'earliest' : 'latest', autocommit: false }, onMessage, onFailure, renew);
    stream.watch(Math.max(3000, c.sessionTimeout), () => this.behind(sub));
    try {
      await stream.open();
    } catch (err) {
      this.members.delete(member);
      await closeQuietly(consumer);
      throw this.unreachable(err);
    }
    const commit = async () => {
      if (marked.size === 0) return;
      const offsets = [...marked].map(([partition, offset]) => ({ topic: this.topic, partition, offset, leaderEpoch: -1 }));
      marked.clear();
      try {
        await consumer.commit({ offsets });
      } catch {
        // A rebalance or an outage: the next owner re-reads from the last good commit (duplicates, not loss).
        this.counts.commitErrors++;
      }
    };
    const timer = setInterval(() => void commit(), COMMIT_EVERY_MS);
    const entry = {
      get consumer() {
        return consumer;
      },
      stream,
      commit,
    };
    this.consumers.add(entry);
    return {
      close: async () => {
        clearInterval(timer);
        this.members.delete(member);
        this.consumers.delete(entry);
        await commit();
        await stream.close();
        await closeQuietly(consumer);
      },
    };
  }

  ready(): Promise<void> {
    return groupsSettled(this.members, this.target.topic.partitions, !!this.ctx.shard);
  }

  async teardown(): Promise<void> {
    for (const { consumer } of this.consumers) await closeQuietly(consumer);
    for (const p of this.producers) await p.close().catch(() => undefined);
    if (this.admin) {
      if (this.created) await this.admin.deleteTopics({ topics: [this.topic] }).catch(() => undefined);
      await this.admin.close().catch(() => undefined);
      this.admin = null;
    }
  }

  stats(): Record<string, number> {
    return { ...this.counts };
  }

  async environment() {
    return { client: { name: '@platformatic/kafka', version: clientVersion('@platformatic/kafka') } };
  }
}

/** Leaves the group at once (`close(true)`); an error closing is of no interest after the run. */
async function closeQuietly(consumer: PConsumer<Buffer, Buffer, string, Buffer>): Promise<void> {
  try {
    await consumer.close(true);
  } catch {
    // already closed or the broker gone
  }
}

export function create(target: KafkaTarget, ctx: AdapterContext): Adapter {
  return new PlatformaticKafkaAdapter(target, ctx);
}
