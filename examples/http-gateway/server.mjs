#!/usr/bin/env node
// A small event gateway to test with faultline's HTTP ingress: POST /events {"key", "payload" (base64)}
// → written to a Kafka topic (acks=all); 200 once Kafka acknowledged, 503 when it did not.
//   node server.mjs --topic TOPIC [--port 8080] [--brokers 127.0.0.1:19092]
// Its Kafka connection goes through Toxiproxy by default, so a scenario can fault the gateway → Kafka link.
import http from 'node:http';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
if (!args.topic) {
  console.error('usage: server.mjs --topic TOPIC [--port 8080] [--brokers host:port,...]');
  process.exit(2);
}
const kafka = new Kafka({ clientId: 'example-gateway', brokers: (args.brokers ?? '127.0.0.1:19092').split(','), logLevel: logLevel.NOTHING, retry: { retries: 3 } });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
await producer.connect();

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/events') return res.writeHead(404).end();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    let event;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (typeof event.key !== 'string' || typeof event.payload !== 'string') throw new Error('key and payload are strings');
    } catch (err) {
      return res.writeHead(400, { 'content-type': 'text/plain' }).end(String(err.message));
    }
    try {
      await producer.send({ topic: args.topic, acks: -1, messages: [{ key: event.key, value: Buffer.from(event.payload, 'base64') }] });
      res.writeHead(200).end();
    } catch (err) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end(String(err.message));
    }
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(args.port ?? 8080), '127.0.0.1', () => console.log(`gateway ${process.pid} listening on ${server.address().port}, topic ${args.topic}`));
const stop = async () => {
  server.close();
  await producer.disconnect();
  process.exit(0);
};
process.on('SIGTERM', stop).on('SIGINT', stop);
