// Real readiness probe for one local service: `node scripts/ready.mjs NAME direct|proxy`.
// Exits 0 when the service answers its own protocol, 1 with one line on stderr otherwise.
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import amqp from 'amqplib';
import { connect as natsConnect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import mqtt from 'mqtt';

// The port table (config/services.json): direct and proxied ports of each service.
const table = JSON.parse(readFileSync(new URL('../config/services.json', import.meta.url), 'utf8'));
const portOf = (addr) => (addr ? Number(addr.split(':').pop()) : undefined);
const PORTS = Object.fromEntries(Object.entries(table.services).map(([name, s]) => [name, { direct: portOf(s.direct), proxy: portOf(s.proxied) }]));

const withTimeout = (ms, what, p) => Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms).unref())]);

const probes = {
  async toxiproxy(port) {
    const res = await fetch(`http://127.0.0.1:${port}/version`, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  },
  async kafka(port) {
    const kafka = new Kafka({ clientId: 'faultline-ready', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 3000 });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.describeCluster();
      // The broker must advertise the port we came in on, or a proxied client would leave the proxy.
      if (!meta.brokers.some((b) => b.port === port)) throw new Error(`broker advertises ${meta.brokers.map((b) => `${b.host}:${b.port}`)} instead of port ${port}`);
      await admin.listTopics();
    } finally {
      await admin.disconnect();
    }
  },
  async rabbitmq(port) {
    const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}`, { timeout: 3000 });
    const ch = await conn.createChannel();
    await ch.checkQueue('amq.rabbitmq.reply-to').catch(() => undefined);
    await conn.close();
  },
  async nats(port) {
    const nc = await natsConnect({ servers: `127.0.0.1:${port}`, timeout: 3000, reconnect: false });
    try {
      const jsm = await jetstreamManager(nc, { timeout: 3000 });
      await jsm.getAccountInfo();
    } finally {
      await nc.close();
    }
  },
  async redis(port) {
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
    r.on('error', () => undefined); // the failure surfaces from connect()
    try {
      await r.connect();
      if ((await r.ping()) !== 'PONG') throw new Error('PING did not answer PONG');
    } finally {
      r.disconnect();
    }
  },
  async mosquitto(port) {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { connectTimeout: 3000, reconnectPeriod: 0, clientId: `faultline-ready-${process.pid}` });
    await client.endAsync();
  },
};

const [name, via = 'direct'] = process.argv.slice(2);
const port = PORTS[name]?.[via];
if (!probes[name] || !port) {
  console.error(`usage: ready.mjs ${Object.keys(probes).join('|')} direct|proxy`);
  process.exit(2);
}
try {
  await withTimeout(8000, `${name} at 127.0.0.1:${port}`, probes[name](port));
  process.exit(0);
} catch (err) {
  console.error(`${name} at 127.0.0.1:${port} (${via}): ${err?.message ?? err}`);
  process.exit(1);
}
