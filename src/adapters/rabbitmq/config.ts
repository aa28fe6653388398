// Target options of the RabbitMQ adapter (amqplib).
import { z } from 'zod';
import { count, duration } from '../../scenario/fields.js';

export const rabbitmqTarget = z
  .strictObject({
    adapter: z.literal('rabbitmq'),
    url: z.string().regex(/^amqps?:\/\//, 'an amqp:// URL').default('amqp://guest:guest@127.0.0.1:5673').meta({ description: 'the default goes through the local Toxiproxy' }),
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
  });
export type RabbitmqTarget = z.output<typeof rabbitmqTarget>;
