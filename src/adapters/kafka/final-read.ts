// The final read of a run's topic, for both Kafka clients: a kafkajs consumer of a group of its own
// (never one of the run's) reads every partition from its first offset to the end offset the admin
// client gave when the read began, so what it does not find, the broker no longer has.
import { Kafka, logLevel } from 'kafkajs';
import type { FinalReadSink } from '../types.js';
import { brokersOf, type KafkaTarget } from './config.js';
import { HEADER } from './shared.js';
import { settleWithin } from '../../timeout.js';

export const FINAL_READ_SOURCE = 'every partition of the topic, from its first offset to its end offset';

export async function readTopic(target: KafkaTarget, topic: string, runId: string, sink: FinalReadSink, deadlineMs: number): Promise<{ complete: boolean; why?: string }> {
  const kafka = new Kafka({ clientId: `faultline-final-${runId}`, brokers: brokersOf(target), logLevel: logLevel.NOTHING, connectionTimeout: 3000, retry: { retries: 5, initialRetryTime: 300 } });
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${topic}-final-read`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000, maxWaitTimeInMs: 200 });
  try {
    // Offsets are strings in kafkajs; positions fit a double up to 2^53.
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { low: Number(p.low), high: Number(p.high) }]));
    const remaining = new Set([...ends].filter(([, o]) => o.high > o.low).map(([p]) => p));
    if (remaining.size === 0) return { complete: true };
    let done: () => void = () => undefined;
    const finished = new Promise<void>((r) => (done = r));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const end = ends.get(batch.partition)?.high ?? 0;
        for (const m of batch.messages) {
          const offset = Number(m.offset);
          if (offset >= end) break;
          const env = m.headers?.[HEADER];
          const bytes = Buffer.isBuffer(env) ? env : Array.isArray(env) && Buffer.isBuffer(env[0]) ? env[0] : m.value;
          if (bytes) sink.payload(bytes, batch.partition, offset);
          if (offset + 1 >= end) remaining.delete(batch.partition);
        }
        if (remaining.size === 0) done();
      },
    });
    const reached = await settleWithin(
      deadlineMs,
      finished.then(() => true),
    );
    return !reached ? { complete: false, why: `the final read did not reach the end of partitions ${[...remaining].join(', ')} within ${deadlineMs / 1000} s` } : { complete: true };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
