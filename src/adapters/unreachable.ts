// The one message for a broker that cannot be reached: what, where, why, and how to start it locally.
import { EnvironmentError } from '../errors.js';

/** Local ports of scripts/services.sh, for the hint: direct and through Toxiproxy. */
const LOCAL: Record<string, string> = {
  Kafka: 'Kafka 127.0.0.1:9092, through Toxiproxy 127.0.0.1:19092',
  RabbitMQ: 'RabbitMQ 127.0.0.1:5672, through Toxiproxy 127.0.0.1:5673',
  NATS: 'NATS 127.0.0.1:4222, through Toxiproxy 127.0.0.1:14222',
  Redis: 'Redis 127.0.0.1:6379, through Toxiproxy 127.0.0.1:16379',
  MQTT: 'Mosquitto 127.0.0.1:1883, through Toxiproxy 127.0.0.1:11883',
};

export function unreachable(broker: keyof typeof LOCAL, address: string, err: unknown, field: string, cluster?: string): EnvironmentError {
  const e = err as { message?: string; code?: string };
  const hint = cluster ? `start the local cluster with scripts/cluster.sh up ${cluster.replace(/\d+$/, '')} (as root: it needs network namespaces), or check the target’s cluster` : `start the local services with scripts/services.sh up (${LOCAL[broker]}), or check the target’s ${field}`;
  return new EnvironmentError(`${broker} at ${address} is unreachable: ${e?.message || e?.code || String(err)}`, hint);
}
