// Reproduces the crash platformatic-guard.ts removes, on the 3-node Kafka of scripts/cluster.sh (up
// first): a @platformatic/kafka consumer joins a group, the group's coordinator is killed, and the
// consumer's metadata is refreshed until that node has dropped out of it. Each trial runs in its own
// process, watched for 8 s, while the node is started again and the consumer closed. Unguarded, a
// lookup of the coordinator missing from the metadata throws a TypeError from a socket callback, which
// ends the process; guarded, it fails and retries.
//   npx tsx bench/platformatic-coordinator.ts [TRIALS]      (default 3 of each)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Admin, Consumer } from '@platformatic/kafka';
import { guardMissingBrokers } from '../src/adapters/kafka/platformatic-guard.js';
import { clusterAddresses, clusterSh } from '../src/cluster/local.js';

const CRASHED = 9;
const brokers = clusterAddresses('kafka3');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What `p` gives within `ms`, or undefined (failed or still waiting). */
const within = <T>(ms: number, p: Promise<T>): Promise<T | undefined> => Promise.race([p.catch(() => undefined), sleep(ms).then(() => undefined)]);

async function trial(guarded: boolean): Promise<void> {
  const topic = `coordinator-${process.pid}-${Date.now()}`;
  const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: brokers });
  await admin.createTopics({ topics: [topic], partitions: 3, replicas: 3 });
  const bare = new Consumer({ clientId: 'bench', bootstrapBrokers: brokers, groupId: topic, sessionTimeout: 6000, heartbeatInterval: 500, retries: 3, retryDelay: 200 });
  const consumer = guarded ? guardMissingBrokers(bare) : bare;
  let clientErrors = 0;
  consumer.on('consumer:heartbeat:error', () => clientErrors++);
  const stream = await consumer.consume({ topics: [topic], mode: 'latest' });
  stream.on('data', () => undefined).on('error', () => clientErrors++);
  const coordinator = await consumer.findGroupCoordinator();
  // what the throw would do without a handler: end the process (the client is broken from here on)
  process.on('uncaughtException', (err) => {
    console.log(JSON.stringify({ guarded, coordinator, crashed: `${err.name}: ${err.message}` }));
    void clusterSh('start', 'kafka', `n${coordinator}`).finally(() => process.exit(CRASHED));
  });
  await clusterSh('kill', 'kafka', `n${coordinator}`);
  try {
    // a client that threw inside a callback may never answer again: every wait is bounded
    for (let gone = false, i = 0; !gone && i < 60; i++, await sleep(500)) {
      const m = await within(2000, consumer.metadata({ topics: [topic], forceUpdate: true }));
      gone = m !== undefined && !m.brokers.has(coordinator);
    }
    await sleep(8000);
  } finally {
    await clusterSh('start', 'kafka', `n${coordinator}`);
    await within(3000, consumer.close());
    await within(3000, admin.deleteTopics({ topics: [topic] }));
    await within(3000, admin.close());
  }
  console.log(JSON.stringify({ guarded, coordinator, crashed: null, clientErrors }));
  process.exit(0);
}

async function main(): Promise<void> {
  const trials = Number(process.argv[2] ?? 3);
  const tally = { unguarded: { died: 0, lived: 0, other: 0 }, guarded: { died: 0, lived: 0, other: 0 } };
  for (let i = 0; i < trials; i++) {
    for (const mode of ['unguarded', 'guarded'] as const) {
      for (const n of [1, 2, 3]) await clusterSh('start', 'kafka', `n${n}`);
      await sleep(4000);
      const child = spawnSync('npx', ['tsx', fileURLToPath(import.meta.url), '--trial', mode], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', timeout: 120_000 });
      process.stdout.write(child.stdout);
      tally[mode][child.status === CRASHED ? 'died' : child.status === 0 ? 'lived' : 'other']++;
    }
  }
  for (const [mode, t] of Object.entries(tally)) console.log(`${mode}: died ${t.died}, lived ${t.lived}${t.other ? `, failed otherwise ${t.other}` : ''}`);
}

if (process.argv[2] === '--trial') await trial(process.argv[3] === 'guarded');
else await main();
