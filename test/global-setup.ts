// Global setup/teardown of the `services` test project: the local services must be up (the
// README's test command starts them), and no test may leave a toxic, a disabled proxy or a
// partition rule in a cluster's router behind.
import { clusterSh, routerRules } from '../src/cluster/local.js';
import { Toxiproxy } from '../src/nemesis/toxiproxy.js';

export async function setup(): Promise<void> {
  const tp = new Toxiproxy();
  try {
    await tp.version();
  } catch (err) {
    throw new Error(`${(err as Error).message}\nThe service tests need the local services: run scripts/services.sh up (npm test does).`, { cause: err });
  }
}

export async function teardown(): Promise<void> {
  const proxies = await new Toxiproxy().proxies();
  const dirty = Object.values(proxies).filter((p) => !p.enabled || p.toxics.length > 0);
  if (dirty.length > 0) {
    const what = dirty.map((p) => `${p.name}: enabled=${p.enabled}, toxics=[${p.toxics.map((t) => t.name).join(', ')}]`).join('; ');
    await new Toxiproxy().reset();
    // vitest 4 only prints an error thrown here ("error during close") and still exits 0: set the
    // exit code so a dirty Toxiproxy fails `npm test` for real.
    process.stderr.write(`\nFAIL: a test left Toxiproxy dirty (now reset): ${what}\n`);
    process.exitCode = 1;
  }
  const rules = await routerRules();
  if (rules.length > 0) {
    for (const r of rules) {
      const m = /from 198\.18\.(\d+)\.2 to 198\.18\.(\d+)\.2 (blackhole|prohibit)/.exec(r);
      // scripts/cluster.sh's subnets: 198.18.(10 × cluster + node).2
      const cluster = ['', 'kafka', 'nats', 'rabbitmq', 'redis'][Math.floor(Number(m?.[1]) / 10)];
      if (m && cluster) await clusterSh('unblock', cluster, `n${Number(m[1]) % 10}`, `n${Number(m[2]) % 10}`, m[3]).catch(() => undefined);
    }
    process.stderr.write(`\nFAIL: a test left partition rules in the cluster router (now removed): ${rules.join('; ')}\n`);
    process.exitCode = 1;
  }
}
