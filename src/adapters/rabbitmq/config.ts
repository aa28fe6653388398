// Target options of the RabbitMQ adapter (amqplib).
import { proxied } from '../../ports.js';
import { z } from 'zod';
import { clusterAddresses, clustersOf, type ClusterName } from '../../cluster/local.js';
import { count, duration } from '../../scenario/fields.js';

const DEFAULT_URL = `amqp://guest:guest@${proxied('rabbitmq')}`;

export const rabbitmqTarget = z
  .strictObject({
    adapter: z.literal('rabbitmq'),
    url: z
      .string()
      .regex(/^amqps?:\/\//, 'an amqp:// URL')
      .optional()
      .meta({ description: `default: the local Toxiproxy (${DEFAULT_URL}), or the cluster’s nodes` }),
    cluster: z.enum(clustersOf('rabbitmq')).optional().meta({ description: 'a local cluster of scripts/cluster.sh (rabbitmq3): connections go to its nodes in turn, a lost one to the next; faults can name its nodes (leader: of the run’s quorum queue, from the management API)' }),
    proxy: z.string().optional().meta({ description: 'the Toxiproxy proxy that network faults act on' }),
    heartbeat: duration().default(5000).meta({ description: 'AMQP heartbeat: how soon a silent peer is noticed' }),
    queue: z
      .strictObject({
        name: z.string().min(1).optional().meta({ description: 'default: a unique name per run (one queue per subscription), deleted afterwards' }),
        type: z.enum(['classic', 'quorum', 'stream']).default('classic'),
        durable: z.boolean().default(true),
      })
      .prefault({}),
    exchange: z.enum(['default', 'direct', 'topic', 'fanout']).default('default').meta({ description: 'default: publish straight to the queue; fanout/direct/topic: one queue per subscription bound to it' }),
    publisher: z
      .strictObject({
        confirms: z.boolean().default(true).meta({ description: 'without confirms a send is never known to be written: it counts as indeterminate' }),
        persistent: z.boolean().default(true),
      })
      .prefault({}),
    consumer: z
      .strictObject({
        prefetch: count().default(500),
        ack: z.enum(['after-effect', 'auto']).default('after-effect').meta({ description: 'manual ack after the effect, or auto-ack on delivery (at-most-once)' }),
      })
      .prefault({}),
    requestTimeout: duration().default(10_000),
  })
  .superRefine((t, ctx) => {
    if (t.cluster && t.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `give url or cluster, not both (cluster ${t.cluster} brings its nodes' addresses)` });
  });
export type RabbitmqTarget = z.output<typeof rabbitmqTarget>;

/** The URLs a target connects to in turn: its url, or one per node of its cluster (guest, as scripts/cluster.sh sets them up). */
export const urlsOf = (t: { url?: string; cluster?: ClusterName }): string[] => (t.url ? [t.url] : t.cluster ? clusterAddresses(t.cluster).map((a) => `amqp://guest:guest@${a}`) : [DEFAULT_URL]);
