// The result contract (result.json), as a zod schema: the type, `faultline schema --result` and the
// reader of saved results all come from here. Add fields freely; rename none without a version bump.
import { z } from 'zod';

export const SCHEMA_VERSION = 1;

const latencySummary = z.object({ count: z.number(), min: z.number(), mean: z.number(), p50: z.number(), p90: z.number(), p99: z.number(), p999: z.number(), max: z.number() }).meta({ description: 'milliseconds' });
const latencyBlock = z.object({
  publish: latencySummary.meta({ description: 'ack time − actual send time' }),
  scheduleLag: latencySummary.meta({ description: 'actual send time − intended send time' }),
  e2e: latencySummary.meta({ description: 'first delivery time − intended send time (coordinated omission corrected)' }),
});
const throughput = z.object({ attemptedPerSec: z.number(), ackedPerSec: z.number(), deliveredPerSec: z.number() });
const counts = z.object({
  attempted: z.number(),
  acked: z.number(),
  failed: z.number(),
  indeterminate: z.number(),
  delivered: z.number().meta({ description: 'distinct events delivered, summed over subscriptions' }),
  lost: z.number().meta({ description: 'acknowledged and never delivered (per subscription, summed)' }),
  duplicated: z.number().meta({ description: 'events delivered more than once' }),
  duplicateDeliveries: z.number().meta({ description: 'extra deliveries beyond the first' }),
  recovered: z.number().meta({ description: 'indeterminate sends that were delivered' }),
  unexpected: z.number().meta({ description: 'deliveries never sent, sent with a definite failure, or unreadable' }),
  deadLettered: z.number().default(0).meta({ description: 'acknowledged events that reached the dead-letter queue instead (consumer.poison then dead-letter): not lost' }),
  unseen: z.number().default(0).meta({ description: 'acknowledged, never delivered, and found in the broker by the final read: faultline’s consumers missed them (an instrument or consumer problem, not a loss)' }),
  skipped: z.number().default(0).meta({ description: 'of unseen: events below their group’s committed position at the end (the group went past them without delivering them); the rest of unseen were never fetched; 0 where the adapter cannot say where its groups committed' }),
  duplicateWrites: z.number().default(0).meta({ description: 'events the final read found at two or more positions of the log (a producer retry written twice), per subscription summed; the rest of `duplicated` was redelivered' }),
  redelivered: z.number().default(0).meta({ description: 'events delivered again from the same position of the log (read twice, written once), per subscription summed; 0 where deliveries carry no position (RabbitMQ, MQTT)' }),
  nonmonotonic: z.number().default(0).meta({ description: 'reads by a member at a lower position of a partition than its previous read there, with no rebalance or consumer fault of that member between (Jepsen’s nonmonotonic reads); 0 where deliveries carry no position; not judged, a gate can' }),
  readGaps: z.number().default(0).meta({
    description:
      'positions holding events (found by the final read) that a member went past between two of its reads of a partition within one session, and never read in it: Jepsen’s skipped reads (poll-skip), a consumer problem, not a loss; 0 without read positions or a final read; not judged, a gate can',
  }),
  overwritten: z.number().default(0).meta({ description: 'lost events whose acknowledged position (partition and offset the broker answered) the complete final read found holding another event: the log was truncated and written again, as after a leader change' }),
  pending: z.number().default(0).meta({ description: 'a run that stopped early (killed, interrupted): acknowledged events not yet delivered when it stopped; not judged lost' }),
  poisoned: z.number().default(0).meta({ description: 'acknowledged events the scenario made poison (consumer.poison), per subscription summed: what deadLettered should be' }),
  reordered: z.number().meta({ description: 'first deliveries that came after a higher sequence number of the same producer and key' }),
  effects: z.number(),
  idempotencyViolations: z.number().meta({ description: 'events whose effect was applied more than once' }),
});
const sample = z.object({
  id: z.string(),
  producer: z.number(),
  seq: z.number(),
  key: z.number(),
  subscription: z.number(),
  at: z
    .array(z.tuple([z.number(), z.number()]))
    .optional()
    .meta({ description: 'where the event is in the broker: [partition, position] (Kafka offset, stream sequence, entry index); for a lost event, where the broker’s acknowledgement put it; for others, where the final read found it' }),
  sentMs: z.number().optional().meta({ description: 'when it was meant to be sent, ms since the load started' }),
  member: z.string().optional().meta({ description: 'for a read anomaly (redelivered, nonmonotonic, read gap): the member that read it (again, backwards) or went past it, s<subscription>/m<member>' }),
  readMs: z.number().optional().meta({ description: 'for a redelivery or a nonmonotonic read: when that read came, ms since the load started' }),
});
const interval = z.object({
  t: z.number(),
  attempted: z.number(),
  acked: z.number(),
  failed: z.number(),
  indeterminate: z.number(),
  delivered: z.number(),
  publish: z.object({ p50: z.number(), p99: z.number(), max: z.number() }),
  e2e: z.object({ p50: z.number(), p90: z.number(), p99: z.number(), p999: z.number(), max: z.number() }),
});
const lagFigures = z.object({ max: z.number().nullable(), final: z.number().nullable() });
const phase = z.object({
  name: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  counts: counts.pick({ attempted: true, acked: true, failed: true, indeterminate: true, delivered: true }),
  latency: latencyBlock,
  throughput,
  lag: lagFigures.optional().meta({ description: 'the consumers’ backlog the broker reported within the phase (the last phase: also during and after the drain)' }),
});
const valid = z.union([z.boolean(), z.literal('unknown')]).meta({ description: "true, false, or 'unknown' (no data, or a checker that failed): unknown never passes" });
const gate = z.object({ expr: z.string(), phase: z.string().optional(), value: z.number().nullable(), threshold: z.number(), passed: z.boolean(), verdict: valid.optional(), error: z.string().optional() });

export const runResultSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  faultline: z.string(),
  runId: z.string(),
  seed: z.number(),
  scenario: z.unknown().meta({ description: 'the scenario as run, after defaults' }),
  target: z.object({ name: z.string(), adapter: z.string() }).loose(),
  status: z.enum(['passed', 'failed', 'aborted', 'error']),
  error: z.string().optional(),
  errorCode: z.string().optional().meta({ description: 'with status error: ENVIRONMENT (a broker, Toxiproxy or a service action failed: exit 3) or INTERNAL (a bug in faultline: exit 4)' }),
  startedAt: z.string(),
  endedAt: z.string(),
  durationMs: z.number(),
  delivery: z.enum(['checked', 'not-checked']).optional().meta({ description: "'not-checked': a publish-only run (workload.subscriptions 0): nothing was consumed, so the delivery counts say nothing" }),
  verdict: valid.optional().meta({ description: 'the run’s verdict: false if any checker or gate is false, else unknown if any is unknown, else true' }),
  verdicts: z
    .record(z.string(), z.object({ valid, why: z.string().optional() }))
    .optional()
    .meta({ description: 'per checker (delivery, order, effects, latency, throughput, recovery)' }),
  counts,
  lostSplit: z.object({ beforeFirstDelivery: z.number(), betweenDeliveries: z.number(), afterLastDelivery: z.number() }),
  subscriptions: z.array(counts.omit({ attempted: true, acked: true, failed: true, indeterminate: true }).extend({ subscription: z.number() })),
  foreign: z.number().meta({ description: 'deliveries of other runs’ events, ignored' }),
  unknown: z.array(z.string()).meta({ description: 'verdicts that could not be computed (never counted as passes)' }),
  latency: latencyBlock,
  throughput,
  phases: z.array(phase),
  faults: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      kind: z.string(),
      target: z.string(),
      plannedStartMs: z.number(),
      plannedEndMs: z.number(),
      startMs: z.number().meta({ description: 'actual apply time, ms from the start of the load; -1 if never applied' }),
      endMs: z.number().meta({ description: 'actual heal time; -1 if never' }),
      applied: z.boolean(),
      healed: z.boolean(),
      error: z.string().optional(),
      nodes: z.array(z.string()).optional().meta({ description: 'a fault on a cluster’s nodes: the nodes it hit (a partition: the side it cut off)' }),
      members: z.array(z.string()).optional().meta({ description: 'a consumer fault: the members it hit (s<subscription>/m<member>)' }),
      leaderBefore: z.string().optional().meta({ description: 'the node that led the run’s topic/queue/stream when the fault started' }),
      leaderAfter: z.string().optional().meta({ description: 'the node that led it when the fault was healed' }),
    }),
  ),
  recovery: z.array(z.object({ fault: z.string(), recoveryMs: z.number().nullable() })),
  lag: lagFigures
    .extend({
      source: z.string().nullable().meta({ description: 'what the broker reported (e.g. end offset − committed offset); null: this broker gives none' }),
      why: z.string().optional().meta({ description: 'why there are no samples' }),
      samples: z.array(z.object({ atMs: z.number(), value: z.number() })),
    })
    .optional()
    .meta({ description: 'the consumers’ backlog over time as the broker reported it (one sample a second through its admin API, and one after the drain); max and final are null without samples' }),
  clientEvents: z
    .array(z.object({ atMs: z.number(), kind: z.enum(['rebalance', 'crash', 'reconnect']), member: z.string().optional(), reason: z.string() }))
    .default([])
    .meta({ description: 'what the clients reported about themselves (consumer group rebalances, crashes, reconnects), ms from the load’s start (negative: during setup)' }),
  gates: z.array(gate),
  shows: z.array(gate).optional().meta({ description: 'what the scenario says the run shows (its `shows:`), judged as gates are; it does not decide the status or the exit code' }),
  histograms: z.object({ publish: z.string(), scheduleLag: z.string(), e2e: z.string() }).meta({ description: 'base64 compressed HdrHistograms, values in µs' }),
  intervals: z.array(interval),
  samples: z.object({
    lost: z.array(sample),
    duplicated: z.array(sample),
    reordered: z.array(sample),
    unexpected: z.array(z.string()),
    idempotencyViolations: z.array(sample),
    unseen: z.array(sample).default([]),
    duplicateWrites: z.array(sample).default([]),
    redelivered: z.array(sample).default([]),
    nonmonotonic: z.array(sample).default([]),
    readGaps: z.array(sample).default([]).meta({ description: 'per event gone past: the member’s read before it, its own position, and the read after it' }),
  }),
  finalRead: z
    .object({ source: z.string().nullable(), events: z.number(), complete: z.boolean(), why: z.string().optional() })
    .optional()
    .meta({ description: 'the broker’s log read back after the drain by a reader that is not one of faultline’s consumers: complete means an acknowledged event it did not find is proven gone (lost); without it a loss is not proven' }),
  positions: z
    .object({ placed: z.number(), confirmed: z.number() })
    .optional()
    .meta({ description: 'acknowledged sends whose position in the log the broker’s answer gave (Kafka partition and offset), and how many of them the final read found at that very position; absent where no answer gives one' }),
  adapterStats: z.record(z.string(), z.number()),
  shards: z.object({ count: z.number(), clockSkewMs: z.number() }).optional().meta({ description: 'a run split over shards (--workers, faultline merge): how many, and the largest clock offset between them' }),
  ledger: z.object({ bytes: z.number(), bytesPerEvent: z.number() }).meta({ description: 'size of the observation history (observations.bin) on disk' }),
  environment: z.object({
    node: z.string(),
    os: z.string(),
    cpus: z.number(),
    client: z.object({ name: z.string(), version: z.string() }).optional(),
    broker: z.object({ version: z.string() }).optional(),
  }),
});

export type RunResult = z.infer<typeof runResultSchema>;
export type RunStatus = RunResult['status'];
export type Throughput = z.infer<typeof throughput>;
export type LatencyBlock = z.infer<typeof latencyBlock>;
export type PhaseResult = z.infer<typeof phase>;
