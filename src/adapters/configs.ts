// Every adapter's target schema, in one discriminated union (eager: validation needs no adapter code).
import { z } from 'zod';
import { kafkaTarget } from './kafka/config.js';
import { memoryTarget } from './memory/config.js';
import { mqttTarget } from './mqtt/config.js';
import { natsTarget } from './nats/config.js';
import { rabbitmqTarget } from './rabbitmq/config.js';
import { redisTarget } from './redis/config.js';

export const targetSchema = z.discriminatedUnion('adapter', [memoryTarget, kafkaTarget, rabbitmqTarget, natsTarget, redisTarget, mqttTarget]);
export type TargetConfig = z.output<typeof targetSchema>;
