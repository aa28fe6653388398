// The one message for a broker that cannot be reached: what, where, why, and how to start it locally.
import { PORTS } from '../ports.js';
import { EnvironmentError } from '../errors.js';

/** Local ports of scripts/services.sh, for the hint: direct and through Toxiproxy. */
const local = (label: string, s: keyof typeof PORTS.services) => `${label} ${PORTS.services[s].direct}, through Toxiproxy ${PORTS.services[s].proxied}`;
const LOCAL = { Kafka: local('Kafka', 'kafka'), RabbitMQ: local('RabbitMQ', 'rabbitmq'), NATS: local('NATS', 'nats'), Redis: local('Redis', 'redis'), MQTT: local('Mosquitto', 'mosquitto') };

export function unreachable(broker: keyof typeof LOCAL, address: string, err: unknown, field: string, cluster?: string): EnvironmentError {
  const e = err as { message?: string; code?: string };
  const hint = cluster ? `start the local cluster with scripts/cluster.sh up ${cluster.replace(/\d+$/, '')} (as root: it needs network namespaces), or check the target’s cluster` : `start the local services with scripts/services.sh up (${LOCAL[broker]}), or check the target’s ${field}`;
  return new EnvironmentError(`${broker} at ${address} is unreachable: ${e?.message || e?.code || String(err)}`, hint);
}
