// Kafka through kafkajs: topic setup by the admin client, a producer per faultline producer, a
// consumer group per subscription; the envelope travels in a header, the filler in the value.
import { settleWithin } from '../../timeout.js';
import { CompressionTypes, Kafka, logLevel, Partitioners, type Admin, type Consumer as KConsumer, type Producer as KProducer } from 'kafkajs';
import { clientVersion } from '../client-version.js';
import { EnvironmentError } from '../../errors.js';
import { ENVELOPE_BYTES } from '../../observe/envelope.js';
import { unreachable } from '../unreachable.js';
import type { SendOutcome } from '../../observe/outcome.js';
import type { Adapter, AdapterContext, CommittedPosition, Consumer, DeliveryHandler, FinalReadSink, OutgoingEvent, Producer } from '../types.js';
import { FINAL_READ_SOURCE, readTopic } from './final-read.js';
import { leadersBy, TOPIC_DEADLINE_MS } from './leaders.js';
import { brokersOf, type KafkaTarget } from './config.js';
import { ACKS, capabilities, checkPartitions, committedPositions, failedRequest, groupLag, groupsSettled, HEADER, LAG_SOURCE, baseOffsets, notingPartitioner, placeEvents, topicConfigs, unansweredPartitions } from './shared.js';

export { capabilities };

class KafkaAdapter implements Adapter {
  readonly name = 'kafka';
  readonly capabilities = capabilities;
  private readonly kafka: Kafka;
  private readonly topic: string;
  private admin: Admin | null = null;
  private created = false;
  private readonly producers = new Set<KProducer>();
  private readonly consumers = new Set<KConsumer>();
  /** Members crashed by a consumer fault: left hanging until teardown, which lets their last batch return and closes them. */
  private readonly crashed = new Map<KConsumer, () => void>();
  private readonly members = new Set<{ subscription: number; partitions: () => number }>();
  private readonly counts: Record<string, number> = { sendErrors: 0, crashes: 0, rebalances: 0 };

  constructor(
    private readonly target: KafkaTarget,
    private readonly ctx: AdapterContext,
  ) {
    this.topic = target.topic.name ?? ctx.resourceName;
    this.kafka = new Kafka({ clientId: `faultline-${ctx.runId}`, brokers: brokersOf(target), logLevel: logLevel.NOTHING, connectionTimeout: 3000, requestTimeout: target.producer.requestTimeout, retry: { retries: 2, initialRetryTime: 200 } });
  }

  readonly finalReadSource = FINAL_READ_SOURCE;

  finalRead(sink: FinalReadSink, deadlineMs: number): Promise<{ complete: boolean; why?: string }> {
    return readTopic(this.target, this.topic, this.ctx.runId, sink, deadlineMs);
  }

  private unreachable(err: unknown): EnvironmentError {
    return unreachable('Kafka', brokersOf(this.target).join(', '), err, 'brokers', this.target.cluster);
  }

  async setup(): Promise<void> {
    if (!this.admin) {
      const admin = this.kafka.admin({ retry: { retries: 2 } });
      try {
        await admin.connect();
      } catch (err) {
        throw this.unreachable(err);
      }
      this.admin = admin;
    }
    const t = this.target.topic;
    const configEntries = topicConfigs(t);
    const admin = this.admin;
    let existed: boolean;
    try {
      existed = (await admin.listTopics()).includes(this.topic);
    } catch (err) {
      throw this.unreachable(err);
    }
    if (!existed) {
      this.created = true;
      // Right after a heavy load, or while a cluster elects, a broker may answer "does not host this
      // topic-partition": retry until the deadline, then say which partitions have no leader.
      const deadline = Date.now() + TOPIC_DEADLINE_MS;
      for (;;) {
        try {
          await admin.createTopics({ topics: [{ topic: this.topic, numPartitions: t.partitions, replicationFactor: t.replicationFactor, configEntries }], waitForLeaders: true, timeout: 10_000 });
          break;
        } catch (err) {
          if ((err as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') break; // an earlier attempt made it
          if ((err as Error).name === 'KafkaJSConnectionError') throw this.unreachable(err);
          if (Date.now() > deadline) throw new EnvironmentError(`Kafka could not create topic ${this.topic} in ${TOPIC_DEADLINE_MS / 1000} s: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
    const partitions = await leadersBy(admin, this.topic, Date.now() + TOPIC_DEADLINE_MS);
    checkPartitions(this.topic, partitions.length, t.partitions);
  }

  async leader(): Promise<number | undefined> {
    const meta = await this.admin?.fetchTopicMetadata({ topics: [this.topic] });
    return meta?.topics[0]?.partitions.find((p) => p.partitionId === 0)?.leader;
  }

  readonly lagSource = LAG_SOURCE;

  async lag(): Promise<number | undefined> {
    const admin = this.admin;
    if (!admin) return undefined;
    const ends = (await admin.fetchTopicOffsets(this.topic)).map((p) => ({ partition: p.partition, low: BigInt(p.low), high: BigInt(p.high) }));
    let total = 0;
    for (let s = 0; s < this.ctx.subscriptions; s++) total += groupLag(ends, await this.groupCommits(s));
    return total;
  }

  /** Subscription s's group: its committed offset per partition (-1 where it has none). */
  private async groupCommits(s: number): Promise<Map<number, bigint>> {
    const [topic] = await this.admin!.fetchOffsets({ groupId: `${this.target.consumer.group ?? this.ctx.resourceName}-s${s}`, topics: [this.topic] });
    return new Map((topic?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  }

  async committed(): Promise<CommittedPosition[]> {
    return this.admin ? committedPositions(this.ctx.subscriptions, (s) => this.groupCommits(s)) : [];
  }

  async createProducer(): Promise<Producer> {
    const p = this.target.producer;
    const partitionOf = new WeakMap<object, number>();
    const producer = this.kafka.producer({
      idempotent: p.idempotent,
      maxInFlightRequests: p.maxInFlightRequests,
      allowAutoTopicCreation: false,
      createPartitioner: notingPartitioner(Partitioners.DefaultPartitioner, partitionOf),
      retry: { retries: p.retries, initialRetryTime: 100, maxRetryTime: 2000 },
    });
    try {
      await producer.connect();
    } catch (err) {
      throw this.unreachable(err);
    }
    this.producers.add(producer);
    const acks = ACKS[p.acks];
    const compression = p.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    const topic = this.topic;
    const counts = this.counts;
    // One produce request at a time per producer, carrying everything queued meanwhile: kafkajs sends each send() as its own request, and concurrent requests may reorder a key's events.
    type Waiting = { events: OutgoingEvent[]; resolve: (o: SendOutcome[]) => void };
    let queue: Waiting[] = [];
    let busy = false;
    const flush = async () => {
      busy = true;
      while (queue.length) {
        const waiting = queue;
        queue = [];
        const messages = [];
        for (const w of waiting) {
          for (const ev of w.events) {
            const buf = Buffer.from(ev.payload.buffer, ev.payload.byteOffset, ev.payload.byteLength);
            messages.push({ key: ev.key, value: buf.subarray(ENVELOPE_BYTES), headers: { [HEADER]: buf.subarray(0, ENVELOPE_BYTES) } });
          }
        }
        let outcome: SendOutcome | ((ev: OutgoingEvent) => SendOutcome);
        try {
          const answer = await producer.send({ topic, acks, compression, timeout: p.requestTimeout, messages });
          const sent = waiting.flatMap((w) => w.events);
          const partitions = messages.map((m) => partitionOf.get(m));
          const bases = baseOffsets(answer);
          placeEvents(sent, partitions, bases);
          // Without acks the broker never answers: such a send is never known to be written (and gets no offsets).
          outcome = acks === 0 ? 'indeterminate' : unansweredPartitions(sent, partitions, bases, counts);
        } catch (err) {
          outcome = failedRequest(counts, err);
        }
        for (const w of waiting) w.resolve(w.events.map((ev) => (typeof outcome === 'function' ? outcome(ev) : outcome)));
      }
      busy = false;
    };
    return {
      send(batch: OutgoingEvent[]): Promise<SendOutcome[]> {
        return new Promise((resolve) => {
          queue.push({ events: batch, resolve });
          if (!busy) void flush();
        });
      },
      close: async () => {
        this.producers.delete(producer);
        await producer.disconnect();
      },
    };
  }

  async createConsumer(opts: { subscription: number; member: number }, onDelivery: DeliveryHandler): Promise<Consumer> {
    const c = this.target.consumer;
    const groupId = `${c.group ?? this.ctx.resourceName}-s${opts.subscription}`;
    const consumer = this.kafka.consumer({ groupId, sessionTimeout: c.sessionTimeout, heartbeatInterval: Math.max(100, Math.floor(c.sessionTimeout / 5)), maxWaitTimeInMs: 100, allowAutoTopicCreation: false, retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 2000 } });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    let owned = 0;
    const member = { subscription: opts.subscription, partitions: () => owned };
    this.members.add(member);
    const who = `s${opts.subscription}/m${opts.member}`;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.counts.rebalances++;
      owned = e.payload.memberAssignment[this.topic]?.length ?? 0;
      this.ctx.onClientEvent?.({ kind: 'rebalance', member: who, reason: `joined the group${e.payload.isLeader ? ' as its leader' : ''}: ${owned} partition(s) assigned, after ${e.payload.duration} ms` });
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.counts.crashes++;
      const err = e.payload.error as { name?: string; type?: string; message?: string };
      this.ctx.onClientEvent?.({ kind: 'crash', member: who, reason: `${err?.name ?? 'Error'}${err?.type ? ` (${err.type})` : ''}: ${err?.message ?? String(err)}${e.payload.restart ? '; kafkajs restarts the consumer' : '; kafkajs does not restart it'}` });
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.topic, fromBeginning: c.fromBeginning });
    } catch (err) {
      throw this.unreachable(err);
    }
    const sub = opts.subscription;
    const before = c.commit === 'before-effect';
    // Resolves at teardown for a crashed member, so its hanging batch returns and it can be closed.
    let release: () => void = () => undefined;
    const released = new Promise<'released'>((r) => (release = () => r('released')));
    await consumer.run({
      autoCommitInterval: 1000,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary, uncommittedOffsets }) => {
        if (before) {
          // At most once: the batch's offsets are committed before any of its events is handled, as a consumer that commits on receipt does; a crash mid-batch loses the rest of it.
          for (const m of batch.messages) resolveOffset(m.offset);
          await commitOffsetsIfNecessary(uncommittedOffsets());
        }
        for (const m of batch.messages) {
          if (!isRunning() || isStale()) break;
          // faultline's producer puts the envelope in a header; a gateway (HTTP ingress) writes it at the start of the value.
          const env = m.headers?.[HEADER];
          const handled = onDelivery(env instanceof Uint8Array ? env : (m.value ?? new Uint8Array(0)), sub, batch.partition, Number(m.offset));
          if (handled && (await Promise.race([handled, released])) === 'released') return;
          if (!before) resolveOffset(m.offset);
        }
        await heartbeat();
      },
    });
    this.consumers.add(consumer);
    await settleWithin(30_000, joined);
    return {
      close: async () => {
        this.members.delete(member);
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
      // The member's handler never returns (its gate is dead): kafkajs neither heartbeats nor commits
      // nor fetches while a batch is being handled, and no LeaveGroup is sent. The coordinator drops it
      // when its session times out, as it would a crashed process.
      crash: async () => {
        this.members.delete(member);
        this.consumers.delete(consumer);
        this.crashed.set(consumer, release);
      },
    };
  }

  /** Waits until each subscription's group has every partition assigned (rebalances over). */
  ready(): Promise<void> {
    return groupsSettled(this.members, this.target.topic.partitions, !!this.ctx.shard);
  }

  async teardown(): Promise<void> {
    for (const [c, release] of this.crashed) {
      release();
      await c.disconnect().catch(() => undefined);
    }
    this.crashed.clear();
    for (const c of this.consumers) await c.disconnect().catch(() => undefined);
    for (const p of this.producers) await p.disconnect().catch(() => undefined);
    if (this.admin) {
      if (this.created) await this.admin.deleteTopics({ topics: [this.topic], timeout: 5000 }).catch(() => undefined);
      await this.admin.disconnect().catch(() => undefined);
      this.admin = null;
    }
  }

  stats(): Record<string, number> {
    return { ...this.counts };
  }

  async environment() {
    return { client: { name: 'kafkajs', version: clientVersion('kafkajs') } };
  }
}

export function create(target: KafkaTarget, ctx: AdapterContext): Adapter {
  return new KafkaAdapter(target, ctx);
}
