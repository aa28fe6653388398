// Target options of the Kafka adapter: kafkajs (the default) or @platformatic/kafka (`client: platformatic`).
import { proxied } from '../../ports.js';
import { z } from 'zod';
import { clusterAddresses, clustersOf, type ClusterName } from '../../cluster/local.js';
import { count, duration } from '../../scenario/fields.js';

/** The Kafka proxy of scripts/services.sh: a target with neither brokers nor cluster goes through it. */
export const DEFAULT_BROKERS = [proxied('kafka')];

export const kafkaTarget = z
  .strictObject({
    adapter: z.literal('kafka'),
    client: z.enum(['kafkajs', 'platformatic']).default('kafkajs').meta({ description: 'the Node.js client: kafkajs, or @platformatic/kafka (faster, maintained, several produce requests in flight)' }),
    brokers: z
      .array(z.string().regex(/^[^:\s]+:\d+$/, 'host:port'))
      .min(1)
      .optional()
      .meta({ description: 'bootstrap servers; default: the local Toxiproxy (127.0.0.1:19092), or the cluster’s nodes' }),
    cluster: z.enum(clustersOf('kafka')).optional().meta({ description: 'a local cluster of scripts/cluster.sh (kafka3): its nodes are the bootstrap servers, and faults can name its nodes (leader, followers, random-node, n1…)' }),
    proxy: z.string().optional().meta({ description: 'the Toxiproxy proxy that network faults act on' }),
    topic: z
      .strictObject({
        name: z
          .string()
          .regex(/^[A-Za-z0-9._-]+$/)
          .optional()
          .meta({ description: 'default: a unique name per run, deleted afterwards' }),
        partitions: count().default(6),
        replicationFactor: count().default(1),
        minInsyncReplicas: count().optional(),
        uncleanLeaderElection: z.boolean().optional().meta({ description: 'unclean.leader.election.enable: let a replica outside the ISR lead (loses acknowledged events by design)' }),
        retention: duration().optional(),
      })
      .prefault({}),
    producer: z
      .strictObject({
        acks: z.enum(['all', '1', '0']).default('all'),
        idempotent: z.boolean().default(false),
        maxInFlightRequests: count().optional().meta({ description: 'produce requests in flight per producer; platformatic default 5 (kafkajs: one at a time, see the adapter)' }),
        compression: z.enum(['none', 'gzip', 'snappy', 'lz4', 'zstd']).default('none').meta({ description: 'snappy, lz4 and zstd only with client: platformatic (kafkajs needs codec packages it does not ship)' }),
        retries: z.number().int().min(0).max(1000).default(5),
        requestTimeout: duration().default(30_000),
      })
      .prefault({}),
    consumer: z
      .strictObject({
        group: z.string().optional().meta({ description: 'group id prefix; default: unique per run' }),
        fromBeginning: z.boolean().default(true),
        commit: z.enum(['after-effect', 'before-effect']).default('after-effect').meta({ description: 'resolve the offset after the effect is applied (at-least-once) or before (at-most-once)' }),
        sessionTimeout: duration().default(10_000),
      })
      .prefault({}),
  })
  .superRefine((t, ctx) => {
    if (t.cluster && t.brokers) ctx.addIssue({ code: 'custom', path: ['brokers'], message: `give brokers or cluster, not both (cluster ${t.cluster} brings its nodes' addresses)` });
    if (t.producer.idempotent && t.producer.acks !== 'all') ctx.addIssue({ code: 'custom', path: ['producer', 'acks'], message: 'an idempotent producer needs acks: all' });
    if (t.client === 'kafkajs' && !['none', 'gzip'].includes(t.producer.compression)) ctx.addIssue({ code: 'custom', path: ['producer', 'compression'], message: `${t.producer.compression} needs client: platformatic (kafkajs offers none or gzip)` });
    if (t.producer.idempotent && (t.producer.maxInFlightRequests ?? 1) > 5) ctx.addIssue({ code: 'custom', path: ['producer', 'maxInFlightRequests'], message: 'an idempotent producer keeps order with at most 5 requests in flight' });
  });
export type KafkaTarget = z.output<typeof kafkaTarget>;

/** The bootstrap servers a target names, directly or through its cluster. */
export const brokersOf = (t: { brokers?: string[]; cluster?: ClusterName }): string[] => t.brokers ?? (t.cluster ? clusterAddresses(t.cluster) : DEFAULT_BROKERS);
