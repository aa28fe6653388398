// The scenario file's schema: the single source of truth for fields, defaults, types and the JSON Schema.
import { z } from 'zod';
import { exploreSchema } from '../explore/schema.js';
import { targetSchema } from '../adapters/configs.js';
import { ingressSchema } from '../adapters/http/config.js';
import { faultSchema } from '../nemesis/schema.js';
import { count, delayRange, duration, fraction, LIMITS, rate, size } from './fields.js';

const schedule = z.union([
  rate(),
  z.strictObject({ ramp: z.strictObject({ from: rate(), to: rate(), over: duration().optional() }) }),
  z.strictObject({ steps: z.array(z.strictObject({ rate: rate(), for: duration() })).min(1) }),
  z.strictObject({ spike: z.strictObject({ base: rate(), peak: rate(), at: duration(), for: duration() }) }),
  z.strictObject({ closed: z.strictObject({ inFlight: count().default(64) }) }),
]);

const message = z
  .strictObject({
    size: z.union([size(), z.strictObject({ min: size(), max: size() })]).default(200),
    keys: z
      .strictObject({
        count: count().default(100),
        distribution: z.enum(['uniform', 'zipf']).default('uniform'),
        exponent: z.number().positive().max(10).default(1),
      })
      .prefault({}),
  })
  .prefault({});

const workload = z.strictObject({
  producers: count(1, LIMITS.clients).default(1),
  consumers: count(1, LIMITS.clients).default(1).meta({ description: 'consumer instances per subscription (members of one consumer group)' }),
  subscriptions: count(0, 64).default(1).meta({ description: "independent subscriptions (consumer groups), each checked on its own; 0 = publish only (no consumers, delivery not checked: the producer side alone, like OpenMessaging Benchmark's producer-only workloads)" }),
  rate: schedule,
  duration: duration(),
  warmup: duration().default(0),
  message,
  batch: z.strictObject({ size: count().default(64), linger: duration().default(0) }).prefault({}),
  maxInFlight: count().default(10_000).meta({ description: 'open loop: sends awaiting an answer per producer before the producer falls behind' }),
});

const gate = z.union([z.string().min(1), z.strictObject({ phase: z.string().min(1), check: z.string().min(1) })]);

export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits, dot, dash and underscore, starting with a letter or digit'),
  description: z.string().optional(),
  seed: count(0, 0xffffffff).default(1),
  targets: z.record(z.string().regex(/^[A-Za-z][\w-]*$/), targetSchema).refine((t) => Object.keys(t).length > 0, 'at least one target'),
  workload,
  effects: z.strictObject({ dedupe: z.boolean().default(false) }).prefault({}),
  consumer: z
    .strictObject({
      processing: z
        .strictObject({
          delay: delayRange().prefault(0).meta({ description: 'how long each consumer member takes per event before it acknowledges it (one event at a time per member): lag builds when the members together take longer than the arrival rate allows' }),
        })
        .prefault({}),
      poison: z
        .strictObject({
          fraction: fraction().meta({ description: 'share of events the consumer cannot handle, chosen by the seed from each event’s producer and sequence number (the checker knows which)' }),
          attempts: count().default(3).meta({ description: 'how many times the consumer tries such an event, failing each time' }),
          backoff: duration().default(10).meta({ description: 'wait between attempts' }),
          then: z
            .enum(['dead-letter', 'drop', 'block'])
            .default('dead-letter')
            .meta({ description: 'dead-letter: publish it to a dead-letter queue (a topic/queue/stream of the same broker that faultline also consumes) and acknowledge it; drop: acknowledge it unhandled (the ledger counts it lost); block: keep retrying, so the member makes no progress' }),
        })
        .optional()
        .meta({ description: 'poison events: the consumer fails them `attempts` times, then dead-letters, drops or blocks on them (counted as deadLettered when they reach the dead-letter queue)' }),
    })
    .prefault({})
    .meta({ description: 'how faultline’s own consumers behave' }),
  expect: z
    .strictObject({
      ordering: z.enum(['none', 'per-key']).default('none'),
      effects: z.enum(['at-least-once', 'exactly-once']).default('at-least-once'),
    })
    .prefault({}),
  drain: z.strictObject({ quiet: duration().default(2000), deadline: duration().default(30_000) }).prefault({}),
  ingress: ingressSchema.optional().meta({ description: 'send events to your HTTP endpoint (an event gateway) instead of the broker; faultline still consumes the target' }),
  pipeline: z
    .strictObject({
      output: targetSchema.meta({ description: 'where the service under test reports each effect it applied: one message per effect, carrying the input event as received' }),
    })
    .optional()
    .meta({ description: 'pipeline mode: faultline produces into the target, a service of yours consumes it and reports its effects to `output`, which faultline consumes and checks' }),
  faults: z.array(faultSchema).default([]).meta({ description: 'fault windows: Toxiproxy toxics, a proxy down, or process actions' }),
  gates: z.array(gate).default([]),
  shows: z
    .array(z.union([z.string().min(1), z.strictObject({ phase: z.string().min(1).optional(), target: z.string().min(1).optional(), check: z.string().min(1) })]))
    .default([])
    .meta({
      description:
        'what this scenario demonstrates, in the gate language (a `target:` entry holds for that target only): judged after each run like gates and reported as held or not, without deciding the exit code. A positive control shows `lost > 0` while its `lost == 0` gate fails; the suite checks every shipped scenario’s',
    }),
  report: z.strictObject({ out: z.string().default('reports') }).prefault({}),
  explore: exploreSchema.optional().meta({ description: 'the space `faultline explore` draws random fault schedules from (ignored by `faultline run`)' }),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type Workload = Scenario['workload'];
export type Schedule = Workload['rate'];
export type Gate = Scenario['gates'][number];
