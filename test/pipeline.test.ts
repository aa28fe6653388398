// Needs: Redis from scripts/services.sh. Pipeline mode against the example consumer service, killed
// six times mid-run: the naive service re-applies effects (idempotency violations > 0); the
// idempotent one, with an inbox written atomically with its effect, applies each exactly once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/run/index.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { ROOT, uniqueName } from './helpers/services.js';

const ctl = (...args: string[]) => execFileSync('bash', [`${ROOT}examples/consumer-service/ctl.sh`, ...args], { cwd: ROOT, stdio: 'pipe' });

async function pipelineRun(mode: 'naive' | 'idempotent') {
  const dir = mkdtempSync(path.join(tmpdir(), `fl-svc-${mode}-`));
  const env = { SVC_DIR: dir, PIPE_IN: uniqueName(`fl-pipe-in-${mode}`), PIPE_OUT: uniqueName(`fl-pipe-out-${mode}`) };
  ctl('start', dir, '--mode', mode, '--in', env.PIPE_IN, '--out', env.PIPE_OUT, '--port', '6379');
  const redis = new Redis({ port: 6379 });
  try {
    const { scenario } = loadScenarioFile(`${ROOT}examples/consumer-service/scenario.yaml`, { env: { ...process.env, ...env } });
    const { result } = await runScenario(scenario, { write: false });
    return result;
  } finally {
    ctl('stop', dir);
    const inbox = await redis.keys(`inbox:${env.PIPE_OUT}:*`);
    for (let i = 0; i < inbox.length; i += 1000) await redis.del(...inbox.slice(i, i + 1000));
    await redis.del(env.PIPE_IN, env.PIPE_OUT);
    redis.disconnect();
  }
}

describe('pipeline mode with a consumer service killed six times', () => {
  it('naive: effects applied twice are idempotency violations; idempotent: none', async () => {
    // Each on its own streams and service: the two run side by side.
    const [naive, idempotent] = await Promise.all([pipelineRun('naive'), pipelineRun('idempotent')]);
    console.log(
      `naive: ${naive.counts.idempotencyViolations} idempotency violations, ${naive.counts.effects} effects for ${naive.counts.acked} events, lost ${naive.counts.lost}; idempotent: ${idempotent.counts.idempotencyViolations} violations, ${idempotent.counts.effects} effects for ${idempotent.counts.acked} events, lost ${idempotent.counts.lost}`,
    );
    for (const r of [naive, idempotent]) {
      expect(r.faults.filter((f) => f.applied && f.healed)).toHaveLength(6);
      expect(r.counts.lost).toBe(0);
      expect(r.counts.attempted).toBeGreaterThan(5000);
    }
    expect(naive.counts.idempotencyViolations).toBeGreaterThan(0);
    expect(naive.status).toBe('failed');
    expect(idempotent.counts.idempotencyViolations).toBe(0);
    expect(idempotent.counts.effects).toBe(idempotent.counts.delivered);
    expect(idempotent.status).toBe('passed');
  }, 120_000);
});
