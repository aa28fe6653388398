// Target options of the Redis Streams adapter (ioredis).
import { proxied } from '../../ports.js';
import { z } from 'zod';
import { clustersOf } from '../../cluster/local.js';
import { count, duration } from '../../scenario/fields.js';

export const redisTarget = z.strictObject({
  adapter: z.literal('redis'),
  host: z.string().default('127.0.0.1'),
  port: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(Number(proxied('redis').split(':')[1]))
    .meta({ description: 'the default goes through the local Toxiproxy' }),
  proxy: z.string().optional().meta({ description: 'the Toxiproxy proxy that network faults act on' }),
  cluster: z.enum(clustersOf('redis')).optional().meta({ description: 'a local cluster of scripts/cluster.sh (redis3): clients ask its Sentinels for the primary and follow each failover; faults can name its nodes (leader: the primary)' }),
  wait: z
    .strictObject({
      replicas: count().meta({ description: 'WAIT for this many replicas after each batch of XADDs' }),
      timeout: duration().default(1000),
    })
    .optional()
    .meta({ description: 'a send is acknowledged only once that many replicas have it (WAIT); fewer in time: indeterminate (written on the primary, maybe not kept)' }),
  stream: z
    .strictObject({
      name: z.string().min(1).optional().meta({ description: 'default: a unique name per run, deleted afterwards' }),
      maxlen: count().optional().meta({ description: 'XADD MAXLEN ~ n (trims old entries: they may count as lost)' }),
    })
    .prefault({}),
  consumer: z
    .strictObject({
      group: z.string().optional().meta({ description: 'consumer group prefix; default: unique per run' }),
      count: count().default(500).meta({ description: 'XREADGROUP COUNT' }),
      block: duration().default(100).meta({ description: 'XREADGROUP BLOCK' }),
      claimIdle: duration().optional().meta({ description: 'reclaim entries pending longer than this from dead consumers (XAUTOCLAIM)' }),
    })
    .prefault({}),
  requestTimeout: duration().default(5000),
  resendUnanswered: z.boolean().default(false).meta({ description: 'ioredis re-sends commands left unanswered by a lost connection (its default): XADDs may then be written twice. false: such sends are indeterminate' }),
});
export type RedisTarget = z.output<typeof redisTarget>;
