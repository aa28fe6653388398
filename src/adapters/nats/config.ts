// Target options of the NATS adapter (@nats-io/transport-node and @nats-io/jetstream).
import { proxied } from '../../ports.js';
import { z } from 'zod';
import { clusterAddresses, clustersOf, type ClusterName } from '../../cluster/local.js';
import { count, duration } from '../../scenario/fields.js';

export const natsTarget = z
  .strictObject({
    adapter: z.literal('nats'),
    servers: z
      .array(z.string().regex(/^[^:\s]+:\d+$/, 'host:port'))
      .min(1)
      .optional()
      .meta({ description: 'default: the local Toxiproxy (127.0.0.1:14222), or the cluster’s servers' }),
    cluster: z.enum(clustersOf('nats')).optional().meta({ description: 'a local cluster of scripts/cluster.sh (nats3): its servers are the ones to connect to, and faults can name its nodes (leader, followers, random-node, n1…)' }),
    proxy: z.string().optional().meta({ description: 'the Toxiproxy proxy that network faults act on' }),
    mode: z.enum(['jetstream', 'core']).default('jetstream').meta({ description: 'core: plain NATS subjects, at most once, never acknowledged (sends are indeterminate)' }),
    stream: z
      .strictObject({
        name: z
          .string()
          .regex(/^[A-Za-z0-9_-]+$/)
          .optional()
          .meta({ description: 'default: a unique name per run, deleted afterwards; subjects are <name>.<key>' }),
        storage: z.enum(['file', 'memory']).default('file'),
        duplicateWindow: duration().default(120_000).meta({ description: 'how long JetStream remembers Nats-Msg-Id values' }),
        replicas: z.number().int().min(1).max(5).default(1).meta({ description: 'copies of the stream in a cluster (R3: a Raft group of 3)' }),
      })
      .prefault({}),
    idempotent: z.boolean().default(false).meta({ description: 'publish with Nats-Msg-Id so JetStream drops retried duplicates' }),
    consumer: z
      .strictObject({
        ackWait: duration().default(10_000),
        maxAckPending: count().default(5000),
        expires: duration().default(5000).meta({ description: 'how long each pull request lives; the client notices a lost one (a consumer leader gone) after two idle heartbeats of half of it. The client’s own default, 30 s, leaves a consumer silent for about 30 s after a failover' }),
      })
      .prefault({}),
    requestTimeout: duration().default(5000),
    retries: z.number().int().min(0).max(1000).default(0).meta({ description: 'publish again (same Nats-Msg-Id) after a JetStream publish fails or times out' }),
  })
  .superRefine((t, ctx) => {
    if (t.cluster && t.servers) ctx.addIssue({ code: 'custom', path: ['servers'], message: `give servers or cluster, not both (cluster ${t.cluster} brings its servers' addresses)` });
  });
export type NatsTarget = z.output<typeof natsTarget>;

/** The servers a target names, directly or through its cluster. */
export const serversOf = (t: { servers?: string[]; cluster?: ClusterName }): string[] => t.servers ?? (t.cluster ? clusterAddresses(t.cluster) : [proxied('nats')]);
