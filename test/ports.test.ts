// Needs: nothing running. Checks that scripts/services.sh, docker-compose.yml, the Toxiproxy
// config for Docker, the README and DESIGN.md (when the shared folder is beside the checkout)
// agree on every service's direct and proxied port.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/services.js';

const read = (p: string) => readFileSync(`${ROOT}${p}`, 'utf8');
const script = read('scripts/services.sh');
const assoc = (name: string) =>
  Object.fromEntries([...script.match(new RegExp(`declare -A ${name}=\\(([^)]*)\\)`))![1].matchAll(/\[(\w+)\]=(\S+)/g)].map((m) => [m[1], m[2]]));
const DIRECT = assoc('DIRECT');
const PROXIED = assoc('PROXIED');
const port = (addr: string) => Number(addr.split(':').pop());
const brokers = Object.keys(PROXIED).filter((n) => PROXIED[n] !== '-');

/** Rows of a markdown ports table: service name → numbers found in its row. */
function tableRows(md: string): Map<string, number[]> {
  const rows = new Map<string, number[]>();
  for (const line of md.split('\n')) {
    const m = line.match(/^\|\s*(Toxiproxy|Kafka|RabbitMQ|NATS|Redis|Mosquitto)\b[^|]*\|([^|]*)\|([^|]*)\|/i);
    if (m && !rows.has(m[1].toLowerCase())) rows.set(m[1].toLowerCase(), [m[2], m[3]].map((c) => Number(c.match(/127\.0\.0\.1:(\d+)/)?.[1] ?? NaN)));
  }
  return rows;
}
const key = (svc: string) => (svc === 'mosquitto' ? 'mosquitto' : svc);

describe('ports agree everywhere', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, { ports?: string[] }> };
  const hostPorts = (svc: string) => (compose.services[svc]?.ports ?? []).map((p) => Number(p.split(':')[1]));

  it('docker-compose publishes each direct port on its own service and each proxied port on toxiproxy', () => {
    for (const [svc, addr] of Object.entries(DIRECT)) expect(hostPorts(svc), svc).toContain(port(addr));
    for (const svc of brokers) expect(hostPorts('toxiproxy'), `${svc} proxy`).toContain(port(PROXIED[svc]));
  });

  it('the Docker Toxiproxy config listens on the proxied ports', () => {
    const proxies = JSON.parse(read('config/toxiproxy.json')) as { name: string; listen: string }[];
    for (const svc of brokers) expect(port(proxies.find((p) => p.name === svc)!.listen), svc).toBe(port(PROXIED[svc]));
  });

  it('the README ports table matches the script', () => {
    const rows = tableRows(read('README.md'));
    for (const svc of Object.keys(DIRECT)) {
      expect(rows.get(key(svc))?.[0], `${svc} direct`).toBe(port(DIRECT[svc]));
      if (svc !== 'toxiproxy') expect(rows.get(key(svc))?.[1], `${svc} proxied`).toBe(port(PROXIED[svc]));
    }
  });

  it('DESIGN.md ports table matches the script', () => {
    const design = [`${ROOT}../shared/DESIGN.md`, `${ROOT}docs/DESIGN.md`].find((p) => existsSync(p));
    expect(design, 'DESIGN.md should be found in ../shared or docs/').toBeDefined();
    const rows = tableRows(readFileSync(design!, 'utf8'));
    for (const svc of Object.keys(DIRECT)) {
      expect(rows.get(key(svc))?.[0], `${svc} direct`).toBe(port(DIRECT[svc]));
      if (svc !== 'toxiproxy') expect(rows.get(key(svc))?.[1], `${svc} proxied`).toBe(port(PROXIED[svc]));
    }
  });
});
