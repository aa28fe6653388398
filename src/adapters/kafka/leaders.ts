// A new kafkajs topic's partitions have leaders within moments (longer while a cluster elects):
// producing before that fails, so setup waits for them, and names the partitions still without one.
import type { Admin } from 'kafkajs';
import { EnvironmentError } from '../../errors.js';

/** How long topic setup waits for a topic and leaders for all its partitions. */
export const TOPIC_DEADLINE_MS = 30_000;

/** The topic's partitions once each has a leader, or the deadline's error naming those without one. */
export async function leadersBy(admin: Admin, topic: string, deadline: number): Promise<{ partitionId: number; leader: number }[]> {
  for (;;) {
    let partitions: { partitionId: number; leader: number; isr: number[] }[] = [];
    try {
      partitions = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
    } catch {
      /* leaderless partitions make the metadata request itself fail: retry */
    }
    const leaderless = partitions.filter((p) => p.leader < 0);
    if (partitions.length && !leaderless.length) return partitions;
    if (Date.now() > deadline)
      throw new EnvironmentError(
        `Kafka topic ${topic}: ${partitions.length ? `partitions without a leader after ${TOPIC_DEADLINE_MS / 1000} s: ${leaderless.map((p) => `${p.partitionId} (in-sync replicas: ${p.isr.join(',') || 'none'})`).join(', ')}` : `no metadata after ${TOPIC_DEADLINE_MS / 1000} s`}`,
        'check that the brokers holding its replicas are up (scripts/services.sh status, scripts/cluster.sh status kafka)',
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}
