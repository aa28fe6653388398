// Needs: the local services of scripts/services.sh (Toxiproxy and every broker) on 127.0.0.1.
// Proves the foundation: each service answers its own protocol directly and through its proxy,
// and the faults the nemesis relies on (latency toxic, proxy down, process pause) behave as assumed.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Toxiproxy } from '../src/nemesis/toxiproxy.js';
import { SERVICES, probe, services } from './helpers/services.js';

const tp = new Toxiproxy();
const REDIS_PROXY = 16379;

/** Median round trip (ms) of a Redis PING on a fresh connection to the given port. */
async function pingRoundTrip(port: number, samples = 7): Promise<number> {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      sock.write('PING\r\n');
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`redis at 127.0.0.1:${port}: no PONG in 3 s`)), 3000);
        sock.once('data', () => (clearTimeout(timer), resolve()));
      });
      times.push(performance.now() - t0);
    }
  } finally {
    sock.destroy();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

describe('every local service answers its own protocol', () => {
  it.each(SERVICES.map((s) => [s]))('%s answers directly', async (name) => {
    expect(await probe(name, 'direct'), `${name} should answer on its direct port`).toBeNull();
  });
  it.each(SERVICES.filter((s) => s !== 'toxiproxy').map((s) => [s]))('%s answers through its Toxiproxy proxy', async (name) => {
    expect(await probe(name, 'proxy'), `${name} should answer through its proxy`).toBeNull();
  });
});

describe('toxics and process actions behave as the nemesis assumes', () => {
  afterEach(async () => {
    await tp.removeToxic('redis', 'test-latency');
    await tp.setEnabled('redis', true);
    await services('resume', 'redis').catch(() => undefined);
  });

  it('a 200 ms downstream latency toxic adds 200 ms ± 20 ms to a round trip, and removing it restores it', async () => {
    const before = await pingRoundTrip(REDIS_PROXY);
    await tp.addToxic('redis', { name: 'test-latency', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 200, jitter: 0 } });
    const during = await pingRoundTrip(REDIS_PROXY, 5);
    await tp.removeToxic('redis', 'test-latency');
    const after = await pingRoundTrip(REDIS_PROXY);
    expect(during - before).toBeGreaterThanOrEqual(180);
    expect(during - before).toBeLessThanOrEqual(220);
    expect(after).toBeLessThan(before + 20);
  });

  it('a proxy taken down makes a connection attempt fail fast with a clear error', async () => {
    await tp.setEnabled('redis', false);
    const t0 = performance.now();
    const failure = await probe('redis', 'proxy');
    expect(failure).toMatch(/redis at 127\.0\.0\.1:16379 \(proxy\): .*(ECONNREFUSED|closed|refused)/i);
    expect(performance.now() - t0).toBeLessThan(5000);
    await tp.setEnabled('redis', true);
    expect(await probe('redis', 'proxy')).toBeNull();
  });

  it('pause stops a service from answering and resume brings it back', async () => {
    await services('pause', 'redis');
    expect(await services('status')).toMatch(/^redis\s+\S+\s+\S+\s+paused/m);
    await expect(pingRoundTrip(6379, 1)).rejects.toThrow(/no PONG/);
    await services('resume', 'redis');
    expect(await pingRoundTrip(6379, 3)).toBeLessThan(50);
  });
});
