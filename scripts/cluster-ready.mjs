// Readiness of one node of a local cluster: `node scripts/cluster-ready.mjs kafka ADDRESS`.
// Exits 0 when the node answers and sees the whole cluster (3 brokers registered), 1 with one line on stderr.
import { Kafka, logLevel } from 'kafkajs';

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
};
try {
  if (!probes[cluster]) throw new Error(`no probe for cluster '${cluster}'`);
  await probes[cluster]();
  process.exit(0);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
