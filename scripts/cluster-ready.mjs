// Readiness of one node of a local cluster: `node scripts/cluster-ready.mjs kafka ADDRESS`.
// Exits 0 when the node answers and sees the whole cluster (Kafka: 3 brokers registered; NATS: JetStream
// answers, so its meta group has a leader, and 2 routes; RabbitMQ: AMQP answers and its management API
// lists 3 running nodes; Redis: the node answers PING and its Sentinel counts 3 usable Sentinels and
// knows both replicas),
// 1 with one line on stderr.
import { Kafka, logLevel } from 'kafkajs';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import amqp from 'amqplib';
import { Redis } from 'ioredis';

const [cluster, address] = process.argv.slice(2);
const probes = {
  async kafka() {
    const admin = new Kafka({ clientId: 'faultline-ready', brokers: [address], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 3000 }).admin();
    await admin.connect();
    try {
      const meta = await admin.describeCluster();
      if (meta.brokers.length < 3) throw new Error(`${address} sees ${meta.brokers.length} of 3 brokers`);
    } finally {
      await admin.disconnect();
    }
  },
  async nats() {
    const nc = await connect({ servers: address, timeout: 3000, reconnect: false });
    try {
      const jsm = await jetstreamManager(nc, { timeout: 3000 });
      await jsm.getAccountInfo();
      const routez = await (await fetch(`http://${address.split(':')[0]}:8222/routez`, { signal: AbortSignal.timeout(3000) })).json();
      const peers = new Set(routez.routes.map((r) => r.remote_name));
      if (peers.size < 2) throw new Error(`${address} has routes to ${peers.size} of 2 peers`);
    } finally {
      await nc.close();
    }
  },
  async rabbitmq() {
    const conn = await amqp.connect(`amqp://guest:guest@${address}`, { timeout: 3000 });
    await conn.close();
    const host = address.split(':')[0];
    const res = await fetch(`http://${host}:15672/api/nodes`, { headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` }, signal: AbortSignal.timeout(3000) });
    if (!res.ok) throw new Error(`management API of ${host}: HTTP ${res.status}`);
    const running = (await res.json()).filter((n) => n.running).length;
    if (running < 3) throw new Error(`${host} sees ${running} of 3 nodes running`);
  },
  async redis() {
    const host = address.split(':')[0];
    for (const port of [6379, 26379]) {
      const r = new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
      r.on('error', () => undefined);
      try {
        await r.connect();
        if (port === 6379) await r.ping();
        else {
          const ok = String(await r.call('SENTINEL', 'CKQUORUM', 'faultline'));
          if (!/^OK 3 usable/.test(ok)) throw new Error(`Sentinel of ${host}: ${ok}`);
          // a Sentinel learns the replicas from the primary's INFO (every 10 s): without them it cannot fail over
          const replicas = (await r.call('SENTINEL', 'REPLICAS', 'faultline')).length;
          if (replicas < 2) throw new Error(`Sentinel of ${host} knows ${replicas} of 2 replicas`);
        }
      } finally {
        r.disconnect();
      }
    }
  },
};
try {
  if (!probes[cluster]) throw new Error(`no probe for cluster '${cluster}'`);
  await probes[cluster]();
  process.exit(0);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
