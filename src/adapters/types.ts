// The contract between the engine and a broker adapter (after OpenMessaging Benchmark's driver API).
import type { SendOutcome } from '../observe/outcome.js';
import type { TargetConfig } from './configs.js';

export interface Capabilities {
  /** Events with the same key from one producer are delivered in the order they were sent. */
  orderedPerKey: boolean;
  /** The broker can de-duplicate a producer's retries (Kafka idempotent producer, NATS Msg-Id). */
  producerIdempotence: boolean;
  ackModes: readonly string[];
}

export interface OutgoingEvent {
  /** Routing key (partition key, subject suffix, ...). */
  readonly key: string;
  /** The whole payload: envelope first, then filler up to the event size. */
  readonly payload: Uint8Array;
  /** `<runId>:<producer>:<seq>`, for brokers that de-duplicate by id (built only when read). */
  readonly idempotencyKey: string;
  /**
   * Where the broker put the event, set by adapters whose answer says so before they resolve the send:
   * Kafka partition and offset, a stream's sequence (partition 0). Unset or -1: not known.
   */
  partition?: number;
  position?: number;
}

export interface Producer {
  /** One outcome per event, in order. Must not reject for broker errors: report them as outcomes. */
  send(batch: OutgoingEvent[]): Promise<SendOutcome[]>;
  close(): Promise<void>;
}

export interface Consumer {
  close(): Promise<void>;
  /**
   * Stops the member as a crashed process would: no clean leave, nothing more acknowledged, and its
   * group finds out only when the broker's session timeout expires. Without it, a kill closes the member.
   */
  crash?(): Promise<void>;
}

/**
 * Called for every delivery. The adapter acks after it returns, or after the promise it returns
 * settles (a consumer with a processing delay): then the effect has been applied. Adapters reading a
 * log say where the event was read from: Kafka partition and offset, JetStream stream sequence
 * (partition 0), the memory broker's log position.
 */
export type DeliveryHandler = (payload: Uint8Array, subscription: number, partition?: number, position?: number) => void | Promise<void>;

/** What a client reports about itself: a consumer group rebalance, a crash, a reconnect, with its reason. */
export interface ClientEvent {
  kind: 'rebalance' | 'crash' | 'reconnect';
  /** `s<subscription>/m<member>` for a consumer member; absent for a producer or the admin client. */
  member?: string;
  reason: string;
}

export interface AdapterContext {
  runId: string;
  /** Names to create (topic, queue, stream), unique per run unless the scenario fixes them. */
  resourceName: string;
  subscriptions: number;
  seed: number;
  /** Set when the run is split over processes: this process holds only some members of each group. */
  shard?: { index: number; count: number };
  /** Reports a client event (the run timestamps it). */
  onClientEvent?: (e: ClientEvent) => void;
}

export interface ConsumerOptions {
  subscription: number;
  member: number;
}

/**
 * Where a final read sends what it finds in the broker: an event's bytes (the envelope is decoded by
 * the run) or, for a broker that keeps only the envelope's fields, the fields themselves. `partition`
 * and `position` say where it is (Kafka partition and offset, a stream's index); `subscription` is
 * set where each subscription has a log of its own (the memory broker), else the read is of the one
 * log every subscription reads.
 */
export interface FinalReadSink {
  payload(bytes: Uint8Array, partition: number, position: number, subscription?: number): void;
  event(producer: number, seq: number, key: number, partition: number, position: number, subscription?: number): void;
}

export interface Adapter {
  readonly name: string;
  readonly capabilities: Capabilities;
  setup(): Promise<void>;
  createProducer(id: number): Promise<Producer>;
  createConsumer(opts: ConsumerOptions, onDelivery: DeliveryHandler): Promise<Consumer>;
  /** Resolves once every consumer is receiving (e.g. a consumer group has settled its assignment). */
  ready?(): Promise<void>;
  /** Deletes what setup made and closes every connection. */
  teardown(): Promise<void>;
  /** What the adapter counted itself (the memory adapter: exactly what it injected). */
  stats?(): Record<string, number>;
  /** The broker's id (Kafka node id, NATS server name) of the node leading the run's topic/queue/stream (partition 0), for faults aimed at the leader. */
  leader?(): Promise<number | string | undefined>;
  environment?(): Promise<{ client?: { name: string; version: string }; broker?: { version: string } }>;
  /**
   * The consumers' backlog as the broker reports it through its admin API, summed over the run's
   * subscriptions (undefined: no answer this time). `lagSource` names what the figure is.
   */
  lag?(): Promise<number | undefined>;
  readonly lagSource?: string;
  /** Why this broker (or mode) gives no backlog figure. */
  readonly lagUnavailable?: string;
  /**
   * After the drain, a reader that is not one of faultline's consumers reads the run's log back from
   * its start to its end (every partition) into `sink`; resolves with whether it read to the end.
   */
  finalRead?(sink: FinalReadSink, deadlineMs: number): Promise<{ complete: boolean; why?: string }>;
  /** What the final read is (e.g. "every partition of the topic from its first offset"). */
  readonly finalReadSource?: string;
  /** Why this broker (or mode) cannot be read back: loss is then not proven by a final read. */
  readonly finalReadUnavailable?: string;
  /**
   * Each subscription's committed position per partition after the run: the next position its group
   * would read. An unseen event below it was skipped (the group went past it); at or above, never fetched.
   */
  committed?(): Promise<CommittedPosition[]>;
  /** A broker that runs inside faultline's process (memory): the process faults `kill`, `pause` and `restart` act on it through this. */
  readonly inProcess?: InProcessBroker;
}

export interface CommittedPosition {
  subscription: number;
  partition: number;
  position: number;
}

/** The process actions of a broker that lives in faultline's own process. */
export interface InProcessBroker {
  /** The name process faults give it (`kill: memory`). */
  readonly service: string;
  /** Dies: refuses sends, hands out nothing; without persistence it forgets all it held. */
  kill(): void;
  /** Stops answering: sends and hand-outs wait. */
  pause(): void;
  /** Runs again (after kill or pause; a no-op when running). */
  start(): void;
}

export type AdapterFactory<T extends TargetConfig = TargetConfig> = (target: T, ctx: AdapterContext) => Adapter;
