// The scenario's `faults:` list: when each fault window opens and closes, and what it does.
import { z } from 'zod';
import { count, duration, fraction, LIMITS } from '../scenario/fields.js';

const toxic = {
  proxy: z.string().optional().meta({ description: 'the Toxiproxy proxy; default: the target’s proxy' }),
  stream: z.enum(['upstream', 'downstream', 'both']).default('downstream').meta({ description: 'downstream: broker → client; upstream: client → broker' }),
  toxicity: fraction().default(1).meta({ description: 'share of connections affected (Toxiproxy draws once per connection)' }),
};

export const TOXICS = {
  latency: z.strictObject({ ...toxic, latency: duration(), jitter: duration().default(0) }),
  bandwidth: z.strictObject({ ...toxic, rate: count(1, LIMITS.count).meta({ description: 'KB/s' }) }),
  slow_close: z.strictObject({ ...toxic, delay: duration() }),
  timeout: z.strictObject({ ...toxic, timeout: duration().default(0).meta({ description: '0: a black hole until healed; else the connection closes after it' }) }),
  reset_peer: z.strictObject({ ...toxic, timeout: duration().default(0) }),
  slicer: z.strictObject({ ...toxic, averageSize: count(), sizeVariation: count(0).default(0), delay: duration().default(0) }),
  limit_data: z.strictObject({ ...toxic, bytes: count() }),
} as const;
export type ToxicKind = keyof typeof TOXICS;
export const TOXIC_KINDS = Object.keys(TOXICS) as ToxicKind[];
export const PROCESS_KINDS = ['pause', 'kill', 'restart'] as const;
export const KINDS = [...TOXIC_KINDS, 'down', ...PROCESS_KINDS, 'partition', 'consumer', 'exec'] as const;
export type FaultKind = (typeof KINDS)[number];

const service = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/)
  .meta({ description: 'a service of scripts/services.sh (kafka, rabbitmq, nats, redis, mosquitto), or memory for the in-process memory broker; with a cluster target, a node: leader, followers, random-node or its name (n1, n2, n3)' });
const nodes = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/)
  .meta({ description: 'leader, followers, random-node, or a node’s name (n1, n2, n3)' });

export const partitionSchema = z
  .strictObject({
    between: z
      .tuple([z.array(nodes).min(1), z.array(nodes).min(1)])
      .optional()
      .meta({ description: 'two sets of nodes that cannot reach each other, e.g. [[n1], [n2, n3]]' }),
    isolate: nodes.optional().meta({ description: 'cut these nodes off from every other node (clients still reach them)' }),
    'majorities-ring': z.literal(true).optional().meta({ description: 'Jepsen’s shape: every node hears a majority (itself and the next), no two the same one; one-way cuts' }),
    mode: z.enum(['blackhole', 'prohibit']).default('blackhole').meta({ description: 'blackhole: packets silently dropped, connections stall; prohibit: refused at once (ICMP administratively prohibited)' }),
    direction: z.enum(['both', 'one-way']).default('both').meta({ description: 'one-way: only packets from the first set to the second are cut (between, isolate)' }),
  })
  .superRefine((p, ctx) => {
    const shapes = (['between', 'isolate', 'majorities-ring'] as const).filter((k) => p[k] !== undefined);
    if (shapes.length !== 1) ctx.addIssue({ code: 'custom', path: [], message: shapes.length ? `one shape per partition, found ${shapes.join(' and ')}` : 'a partition needs one of: between, isolate, majorities-ring' });
  });
export type PartitionSpec = z.output<typeof partitionSchema>;

const members = z.union([count(0, LIMITS.clients - 1), z.literal('all')]).meta({ description: 'a consumer member index (the same member of every subscription), or all' });
export const CONSUMER_ACTIONS = ['kill', 'pause', 'restart', 'stall', 'slow'] as const;
export const consumerFaultSchema = z
  .strictObject({
    kill: members.optional().meta({ description: 'the member dies: it stops, handles and acknowledges nothing more, and its connection is closed; started again at the end of the window' }),
    pause: members.optional().meta({ description: 'the member stops taking events (a pull consumer stops fetching, a Kafka member stops heartbeating) until the end of the window' }),
    restart: members.optional().meta({ description: 'the member is closed and started again at `at` (no duration)' }),
    stall: members.optional().meta({ description: 'the member goes on taking events but acknowledges none until the end of the window' }),
    slow: members.optional().meta({ description: 'the member takes `delay` longer per event (on top of consumer.processing.delay) until the end of the window' }),
    delay: duration().optional().meta({ description: 'with slow: the extra handling time per event' }),
  })
  .superRefine((c, ctx) => {
    if ((c.slow !== undefined) !== (c.delay !== undefined)) ctx.addIssue({ code: 'custom', path: c.slow !== undefined ? ['delay'] : ['slow'], message: c.slow !== undefined ? 'slow needs a delay (the extra time per event, e.g. 20ms)' : 'delay goes with slow (e.g. slow: all, delay: 20ms)' });
    const actions = CONSUMER_ACTIONS.filter((a) => c[a] !== undefined);
    if (actions.length !== 1) ctx.addIssue({ code: 'custom', path: [], message: actions.length ? `one action per consumer fault, found ${actions.join(' and ')}` : `a consumer fault needs one of: ${CONSUMER_ACTIONS.join(', ')}` });
  });
export type ConsumerFaultSpec = z.output<typeof consumerFaultSchema>;

export const faultSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[\w-]+$/)
      .optional()
      .meta({ description: 'a label for charts and the fault log' }),
    at: duration().meta({ description: 'when the fault starts, counted from the end of the warmup' }),
    duration: duration().optional(),
    for: duration().optional().meta({ description: 'same as duration' }),
    until: duration().optional().meta({ description: 'when the fault ends, counted like `at`' }),
    repeat: z.strictObject({ every: duration(), times: count(2, LIMITS.repeats) }).optional(),
    ...(Object.fromEntries(TOXIC_KINDS.map((k) => [k, TOXICS[k].optional()])) as { [K in ToxicKind]: z.ZodOptional<(typeof TOXICS)[K]> }),
    down: z
      .union([z.literal(true), z.string().min(1)])
      .optional()
      .meta({ description: 'take a Toxiproxy proxy down (true: the target’s proxy): every connection closes, new ones are refused' }),
    pause: service.optional().meta({ description: 'SIGSTOP the service, SIGCONT at the end' }),
    kill: service.optional().meta({ description: 'SIGKILL the service, start it again at the end' }),
    restart: service.optional().meta({ description: 'stop and start the service at `at` (no duration)' }),
    consumer: consumerFaultSchema.optional().meta({ description: 'a fault on faultline’s own consumer members: kill, pause, restart or stall' }),
    partition: partitionSchema.optional().meta({ description: 'a network partition between the nodes of the target’s cluster (routing rules in the cluster’s router namespace)' }),
    exec: z
      .strictObject({ start: z.string().min(1), stop: z.string().min(1).optional() })
      .optional()
      .meta({ description: 'commands run at the start and end, e.g. docker compose kill kafka / docker compose start kafka' }),
  })
  .superRefine((f, ctx) => {
    const kinds = KINDS.filter((k) => f[k] !== undefined);
    if (kinds.length !== 1) ctx.addIssue({ code: 'custom', message: kinds.length ? `one fault per entry, found ${kinds.join(' and ')}` : `a fault needs one of: ${KINDS.join(', ')}`, path: [] });
    const ends = (['duration', 'for', 'until'] as const).filter((k) => f[k] !== undefined);
    if (kinds[0] === 'restart' || f.consumer?.restart !== undefined) {
      if (ends.length) ctx.addIssue({ code: 'custom', message: 'restart happens at `at` and takes no duration', path: [ends[0]] });
    } else if (ends.length !== 1) ctx.addIssue({ code: 'custom', message: ends.length ? `give one of duration, for, until (found ${ends.join(', ')})` : 'required: how long (duration, for or until)', path: ends.length ? [ends[1]] : [] });
    if (f.until !== undefined && f.until <= f.at) ctx.addIssue({ code: 'custom', message: 'until must be after at', path: ['until'] });
  });

export type FaultSpec = z.output<typeof faultSchema>;
