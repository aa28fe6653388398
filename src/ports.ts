// The one port table (config/services.json): the local services' direct and proxied addresses and the
// 3-node clusters' subnets and proxy ports, as scripts/services.sh and scripts/cluster.sh use them.
import { readFileSync } from 'node:fs';

interface Table {
  services: Record<'toxiproxy' | 'kafka' | 'rabbitmq' | 'nats' | 'redis' | 'mosquitto', { direct: string; proxied?: string; upstream?: string }>;
  clusters: Record<'kafka' | 'nats' | 'rabbitmq' | 'redis', { subnet: number; clientPort: number; proxyBase: number; upstreamPort: number }>;
}

// From src/ or dist/, the table is at the package's root.
export const PORTS: Table = JSON.parse(readFileSync(new URL('../config/services.json', import.meta.url), 'utf8')) as Table;

/** The proxied address of a local service (what scenarios reach by default). */
export const proxied = (service: keyof Table['services']): string => PORTS.services[service].proxied ?? PORTS.services[service].direct;
