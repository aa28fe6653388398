// Target options of the NATS adapter (@nats-io/transport-node and @nats-io/jetstream).
import { z } from 'zod';
import { count, duration } from '../../scenario/fields.js';

export const natsTarget = z.strictObject({
  adapter: z.literal('nats'),
  servers: z.array(z.string().regex(/^[^:\s]+:\d+$/, 'host:port')).min(1).default(['127.0.0.1:14222']).meta({ description: 'the default goes through the local Toxiproxy' }),
  proxy: z.string().optional().meta({ description: 'the Toxiproxy proxy that network faults act on' }),
  mode: z.enum(['jetstream', 'core']).default('jetstream').meta({ description: 'core: plain NATS subjects, at most once, never acknowledged (sends are indeterminate)' }),
  stream: z
    .strictObject({
      name: z.string().regex(/^[A-Za-z0-9_-]+$/).optional().meta({ description: 'default: a unique name per run, deleted afterwards; subjects are <name>.<key>' }),
      storage: z.enum(['file', 'memory']).default('file'),
      duplicateWindow: duration().default(120_000).meta({ description: 'how long JetStream remembers Nats-Msg-Id values' }),
    })
    .prefault({}),
  idempotent: z.boolean().default(false).meta({ description: 'publish with Nats-Msg-Id so JetStream drops retried duplicates' }),
  consumer: z
    .strictObject({
      ackWait: duration().default(10_000),
      maxAckPending: count().default(5000),
    })
    .prefault({}),
  requestTimeout: duration().default(5000),
  retries: z.number().int().min(0).default(0).meta({ description: 'publish again (same Nats-Msg-Id) after a JetStream publish fails or times out' }),
});
export type NatsTarget = z.output<typeof natsTarget>;
