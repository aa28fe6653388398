#!/usr/bin/env node
// A small event consumer to test with faultline's pipeline mode: it reads a Redis stream with a
// consumer group and applies one effect per event — here, appending the event to an output stream that
// faultline reads. Two modes:
//   naive       effect, then ack (after the batch's work): a crash in between re-applies effects
//   idempotent  an inbox keyed by event id; inbox write and effect in one atomic step (a Lua script)
// node service.mjs --mode naive|idempotent --in STREAM --out STREAM [--port 6379] [--group svc] [--work 40]
import { Redis } from 'ioredis';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const mode = args.mode ?? 'naive';
const input = args.in;
const output = args.out;
const group = args.group ?? 'svc';
const work = Number(args.work ?? 40);
if (!input || !output || !['naive', 'idempotent'].includes(mode)) {
  console.error('usage: service.mjs --mode naive|idempotent --in STREAM --out STREAM [--port 6379] [--group svc] [--work ms]');
  process.exit(2);
}

const redis = new Redis({ host: '127.0.0.1', port: Number(args.port ?? 6379), maxRetriesPerRequest: null });
redis.on('error', () => {});
// Inbox write and effect in one step: the effect happens only if this event id was never seen.
redis.defineCommand('applyOnce', {
  numberOfKeys: 2,
  lua: "if redis.call('SET', KEYS[1], '1', 'NX') then redis.call('XADD', KEYS[2], '*', 'e', ARGV[1]) return 1 end return 0",
});

// faultline's envelope: bytes 4..16 are run tag, producer and sequence number: the event's identity.
const eventId = (payload) => payload.subarray(4, 16).toString('hex');

try {
  await redis.xgroup('CREATE', input, group, '0', 'MKSTREAM');
} catch (err) {
  if (!/BUSYGROUP/.test(err.message)) throw err;
}
console.log(`service ${process.pid} ready: ${mode}, ${input} → ${output}`);

let stopping = false;
process.on('SIGTERM', () => (stopping = true));
// After a restart, first the entries this consumer had read but not acknowledged.
let cursor = '0';
while (!stopping) {
  const reply = await redis.xreadgroupBuffer('GROUP', group, 'c1', 'COUNT', 50, ...(cursor === '>' ? ['BLOCK', 200] : []), 'STREAMS', input, cursor);
  const streams = !reply ? [] : Buffer.isBuffer(reply[0]) ? [reply[1]] : reply.map(([, entries]) => entries);
  const entries = streams.flat();
  if (cursor === '0' && entries.length === 0) {
    cursor = '>';
    continue;
  }
  if (entries.length === 0) continue;
  for (const [, fields] of entries) {
    const payload = fields[1];
    if (mode === 'naive') await redis.xadd(output, '*', 'e', payload);
    else await redis.applyOnce(`inbox:${output}:${eventId(payload)}`, output, payload);
  }
  // The batch's work, then the acknowledgement: a crash here leaves effects applied but unacked.
  await new Promise((r) => setTimeout(r, work));
  await redis.xack(input, group, ...entries.map(([id]) => id));
}
redis.disconnect();
