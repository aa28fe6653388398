// What both Kafka adapters (kafkajs and @platformatic/kafka) share: capabilities, the envelope header,
// topic settings, error names for adapterStats, and the wait for settled consumer groups.
import { ScenarioError } from '../../errors.js';
import type { ICustomPartitioner } from 'kafkajs';
import type { Capabilities, CommittedPosition, OutgoingEvent } from '../types.js';
import type { SendOutcome } from '../../observe/outcome.js';
import type { KafkaTarget } from './config.js';

export const capabilities: Capabilities = { orderedPerKey: true, producerIdempotence: true, ackModes: ['all', '1', '0'] };

/** faultline's producer puts the envelope in this header; a gateway (HTTP ingress) writes it at the start of the value. */
export const HEADER = 'fl';
export const ACKS = { all: -1, '1': 1, '0': 0 } as const;

/** Topic-level settings the scenario asks for. */
export function topicConfigs(t: KafkaTarget['topic']): { name: string; value: string }[] {
  return [
    ...(t.minInsyncReplicas ? [{ name: 'min.insync.replicas', value: String(t.minInsyncReplicas) }] : []),
    ...(t.retention ? [{ name: 'retention.ms', value: String(Math.round(t.retention)) }] : []),
    ...(t.uncleanLeaderElection !== undefined ? [{ name: 'unclean.leader.election.enable', value: String(t.uncleanLeaderElection) }] : []),
  ];
}

/** The scenario's partition count must match an existing topic's (a fixed topic name reused). */
export function checkPartitions(topic: string, have: number, want: number): void {
  if (have !== want) throw new ScenarioError(`Kafka topic ${topic} exists with ${have} partitions, the scenario asks for ${want}: use another topic name, or delete it`);
}

/** A short name for an error, to count in adapterStats. */
function errorKind(err: unknown): string {
  const e = err as { name?: string; type?: string; code?: string };
  return `error.${e?.type ?? e?.code ?? e?.name ?? 'unknown'}`;
}

/**
 * Counts a failed produce request in adapterStats. Both clients reject a whole request when any
 * partition fails, though other partitions of it may have been written, and a lost answer may hide a
 * write: so no error is definite, every event of the request is indeterminate.
 */
export function failedRequest(counts: Record<string, number>, err: unknown): 'indeterminate' {
  counts.sendErrors = (counts.sendErrors ?? 0) + 1;
  const kind = errorKind(err);
  counts[kind] = (counts[kind] ?? 0) + 1;
  return 'indeterminate';
}

/** Waits until every subscription's members together own all partitions (rebalances over), at most 30 s. */
export async function groupsSettled(members: Iterable<{ subscription: number; partitions: () => number }>, partitions: number, shared = false): Promise<void> {
  const deadline = Date.now() + 30_000;
  const settled = () => {
    // Members of each group also live in other processes (shards): each of ours owning a share is the
    // settled state as far as this process can see (the shards' start barrier waits for all of them).
    if (shared) return [...members].every((m) => m.partitions() > 0);
    const per = new Map<number, number>();
    for (const m of members) per.set(m.subscription, (per.get(m.subscription) ?? 0) + m.partitions());
    return [...per.values()].every((n) => n === partitions);
  };
  while (!settled() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

export const LAG_SOURCE = 'end offset − committed offset, per partition of each group (kafkajs commits after each batch, platformatic every second; a partition without a commit from its earliest offset)';

/**
 * A group's lag: per partition, the end offset minus the group's committed offset. A partition the
 * group has not committed yet counts whole, from its earliest offset: its member may have read none
 * of it (one stuck from the start). Counting it as nothing (as a consumer starting at the end would
 * see it) let a drain end early as "the broker holds nothing", and a run without a final read call
 * what the broker still held lost. The whole count overstates a topic that had events before the run:
 * a drain then waits to its deadline, and a loss without a final read is unknown, not false.
 */
export function groupLag(partitions: { partition: number; low: bigint; high: bigint }[], committed: Map<number, bigint>): number {
  let lag = 0n;
  for (const p of partitions) {
    const c = committed.get(p.partition);
    const from = c !== undefined && c >= 0n ? c : p.low;
    if (p.high > from) lag += p.high - from;
  }
  return Number(lag);
}

/** Each subscription's committed offset per partition, where its group has one (the final read's split of unseen). */
export async function committedPositions(subscriptions: number, commits: (s: number) => Promise<Map<number, bigint>>): Promise<CommittedPosition[]> {
  const out: CommittedPosition[] = [];
  for (let subscription = 0; subscription < subscriptions; subscription++) for (const [partition, offset] of await commits(subscription)) if (offset >= 0n) out.push({ subscription, partition, position: Number(offset) });
  return out;
}

/**
 * Sets each event's partition and offset from a produce answer: the events of one partition got
 * consecutive offsets from the base the broker answered, in the order they were sent. Events whose
 * partition is unknown, or whose partition has no base (acks 0 answers -1), stay unplaced.
 */
export function placeEvents(events: readonly OutgoingEvent[], partitions: readonly (number | undefined)[], bases: ReadonlyMap<number, number>): void {
  const next = new Map(bases);
  events.forEach((ev, i) => {
    const p = partitions[i];
    const offset = p === undefined ? undefined : next.get(p);
    if (p === undefined || offset === undefined || offset < 0) return;
    ev.partition = p;
    ev.position = offset;
    next.set(p, offset + 1);
  });
}

/** kafkajs' partitioner, noting where it put each message (the answer gives each partition's base offset). */
export function notingPartitioner(create: ICustomPartitioner, partitionOf: WeakMap<object, number>): ICustomPartitioner {
  return () => {
    const inner = create();
    return (args) => {
      const partition = inner(args);
      partitionOf.set(args.message, partition);
      return partition;
    };
  };
}

/** Each partition's base offset in a kafkajs produce answer. */
export const baseOffsets = (answer: { partition: number; baseOffset?: string }[]): Map<number, number> => new Map(answer.map((r) => [r.partition, Number(r.baseOffset ?? -1)]));

/**
 * kafkajs 2.2.4 can resolve a send whose answer has no offset for some partition it wrote to: its
 * retry keeps each broker's earlier answer and asks only brokers without one, so a partition whose
 * leader moved to a broker that had already answered is never sent again (sendMessages.js keys the
 * answers by broker). Those events were sent once, to the old leader, which may or may not have
 * written them before it died: indeterminate, not acknowledged. Counted as `unansweredAcks`.
 */
export function unansweredPartitions(sent: OutgoingEvent[], partitions: (number | undefined)[], bases: ReadonlyMap<number, number>, counts: Record<string, number>): SendOutcome | ((ev: OutgoingEvent) => SendOutcome) {
  const missing = new Set(partitions.filter((p): p is number => p !== undefined && !bases.has(p)));
  if (missing.size === 0) return 'ok';
  const unanswered = new Set(sent.filter((_, i) => missing.has(partitions[i]!)));
  counts.unansweredAcks = (counts.unansweredAcks ?? 0) + unanswered.size;
  return (ev) => (unanswered.has(ev) ? 'indeterminate' : 'ok');
}

/** Whether an error (or one it wraps) is the network's: the broker unreachable, not a refusal. */
export function isNetwork(err: unknown): boolean {
  const seen = new Set<unknown>();
  const walk = (e: unknown): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e)) return false;
    seen.add(e);
    const x = e as { code?: string; name?: string; errors?: unknown[]; cause?: unknown };
    if (x.name === 'NetworkError' || x.name === 'TimeoutError' || /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)$/.test(x.code ?? '') || x.code === 'PLT_KFK_NETWORK') return true;
    return (x.errors ?? []).some(walk) || walk(x.cause);
  };
  return walk(err);
}
