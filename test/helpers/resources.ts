// Whether a broker still holds what an adapter's setup made, asked with each broker's own client
// (never through the adapter under test): a Kafka topic, a RabbitMQ queue, a JetStream stream, a
// Redis stream. MQTT and the memory broker make nothing that outlives their connections: null.
import amqp from 'amqplib';
import { connect as natsConnect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { PORTS } from '../../src/ports.js';

export type Exists = (name: string) => Promise<boolean>;

const direct = (s: keyof typeof PORTS.services) => PORTS.services[s].direct;

export const RESOURCE: Record<string, Exists | null> = {
  async kafka(topic) {
    const admin = new Kafka({ clientId: 'faultline-test', brokers: [direct('kafka')], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      return (await admin.listTopics()).includes(topic);
    } finally {
      await admin.disconnect();
    }
  },
  async rabbitmq(queue) {
    const conn = await amqp.connect(`amqp://guest:guest@${direct('rabbitmq')}`);
    try {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      return await ch.checkQueue(queue).then(
        () => true,
        () => false,
      );
    } finally {
      await conn.close().catch(() => undefined);
    }
  },
  async nats(stream) {
    const nc = await natsConnect({ servers: direct('nats') });
    try {
      return await (await jetstreamManager(nc)).streams.info(stream).then(
        () => true,
        () => false,
      );
    } finally {
      await nc.close();
    }
  },
  async redis(key) {
    const r = new Redis({ host: '127.0.0.1', port: Number(direct('redis').split(':')[1]), lazyConnect: true });
    await r.connect();
    try {
      return (await r.exists(key)) === 1;
    } finally {
      r.disconnect();
    }
  },
  mqtt: null,
  memory: null,
};
