// Prints config/services.json, the one port table, as bash declarations for scripts/lib.sh.
import { readFileSync } from 'node:fs';

const table = JSON.parse(readFileSync(new URL('../config/services.json', import.meta.url), 'utf8'));
const assoc = (name, entries) => `declare -gA ${name}=(${entries.map(([k, v]) => `[${k}]=${v}`).join(' ')})`;
const services = Object.entries(table.services);
const clusters = Object.entries(table.clusters);
console.log(
  [
    `SERVICES=(${services.map(([name]) => name).join(' ')})`,
    assoc(
      'DIRECT',
      services.map(([n, s]) => [n, s.direct]),
    ),
    assoc(
      'PROXIED',
      services.map(([n, s]) => [n, s.proxied ?? '-']),
    ),
    assoc(
      'UPSTREAM',
      services.filter(([, s]) => s.upstream).map(([n, s]) => [n, s.upstream]),
    ),
    `CLUSTERS=(${clusters.map(([name]) => name).join(' ')})`,
    assoc(
      'SUBNET',
      clusters.map(([n, c]) => [n, c.subnet]),
    ),
    assoc(
      'CLIENT_PORT',
      clusters.map(([n, c]) => [n, c.clientPort]),
    ),
    assoc(
      'PROXY_BASE',
      clusters.map(([n, c]) => [n, c.proxyBase]),
    ),
    assoc(
      'UPSTREAM_PORT',
      clusters.map(([n, c]) => [n, c.upstreamPort]),
    ),
  ].join('\n'),
);
