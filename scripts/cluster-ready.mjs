// Readiness of one node of a local cluster: `node scripts/cluster-ready.mjs kafka ADDRESS`.
// Exits 0 when the node answers and sees the whole cluster (Kafka: 3 brokers registered; NATS: JetStream
// answers, so its meta group has a leader, and 2 routes), 1 with one line on stderr.
import { Kafka, logLevel } from 'kafkajs';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

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
};
try {
  if (!probes[cluster]) throw new Error(`no probe for cluster '${cluster}'`);
  await probes[cluster]();
  process.exit(0);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
