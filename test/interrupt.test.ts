// Needs: Toxiproxy and Redis from scripts/services.sh (the load itself runs on the memory adapter).
// Faults are healed whatever ends a run: SIGTERM or Ctrl-C while a proxy is down, an exec command
// runs or a broker is paused; a second Ctrl-C quits at once but still heals; `heal --all` resets
// every proxy.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Toxiproxy } from '../src/nemesis/toxiproxy.js';
import type { RunResult } from '../src/result.js';
import { probe, ROOT } from './helpers/services.js';

const tp = new Toxiproxy();

async function until(what: string, cond: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function start(fault: string): { child: ChildProcess; dir: string; exited: Promise<number | null> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-sig-'));
  const file = path.join(dir, 's.yaml');
  writeFileSync(file, `name: sig\ntargets:\n  m: { adapter: memory }\nworkload: { rate: 100/s, duration: 30s }\nfaults:\n  - { at: 1s, for: 25s, ${fault} }\n`);
  const child = spawn('node', [`${ROOT}bin/faultline.js`, 'run', file, '--out', dir, '--quiet'], { cwd: ROOT, stdio: 'ignore' });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, dir, exited };
}

const resultOf = (dir: string): RunResult => {
  const run = readdirSync(dir).find((d) => d.startsWith('sig-'))!;
  return JSON.parse(readFileSync(path.join(dir, run, 'result.json'), 'utf8')) as RunResult;
};

describe('faults are healed however a run ends', () => {
  it('SIGTERM while a proxy is down: re-enabled, exit 130, partial result with the fault healed', async () => {
    const { child, dir, exited } = start('down: redis');
    try {
      await until('the proxy to go down', async () => !(await tp.proxy('redis')).enabled);
      child.kill('SIGTERM');
      expect(await exited).toBe(130);
      expect((await tp.proxy('redis')).enabled).toBe(true);
      const r = resultOf(dir);
      expect(r.status).toBe('aborted');
      expect(r.faults[0]).toMatchObject({ kind: 'down', applied: true, healed: true });
    } finally {
      child.kill('SIGKILL');
      await tp.setEnabled('redis', true);
    }
  });

  it('Ctrl-C while an exec fault runs: its stop command runs', async () => {
    const marker = path.join(mkdtempSync(path.join(tmpdir(), 'faultline-exec-')), 'on');
    const { child, dir, exited } = start(`exec: { start: "touch ${marker}", stop: "rm ${marker}" }`);
    try {
      await until('the exec fault to start', () => existsSync(marker));
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(existsSync(marker)).toBe(false);
      expect(resultOf(dir).faults[0]).toMatchObject({ kind: 'exec', applied: true, healed: true });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('SIGTERM while Redis is paused: resumed', async () => {
    const { child, exited } = start('pause: redis');
    try {
      await until('Redis to be paused', async () => (await probe('redis', 'direct')) !== null);
      child.kill('SIGTERM');
      expect(await exited).toBe(130);
      expect(await probe('redis', 'direct')).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a second Ctrl-C quits at once, and still heals', async () => {
    const { child, exited } = start('down: redis');
    try {
      await until('the proxy to go down', async () => !(await tp.proxy('redis')).enabled);
      child.kill('SIGINT');
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect((await tp.proxy('redis')).enabled).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await tp.setEnabled('redis', true);
    }
  });

  it('heal --all removes every toxic and re-enables every proxy', async () => {
    try {
      await tp.addToxic('redis', { name: 'stray', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 5, jitter: 0 } });
      await tp.setEnabled('nats', false);
      const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const h = spawn('node', [`${ROOT}bin/faultline.js`, 'heal', '--all'], { cwd: ROOT });
        let stdout = '';
        h.stdout.on('data', (d) => (stdout += d));
        h.on('close', (code) => resolve({ code, stdout }));
      });
      expect(out.code).toBe(0);
      expect(out.stdout).toContain('healed: remove toxic stray from redis');
      expect(out.stdout).toContain('healed: re-enable proxy nats');
      expect((await tp.proxy('redis')).toxics).toEqual([]);
      expect((await tp.proxy('nats')).enabled).toBe(true);
    } finally {
      await tp.reset();
    }
  });
});
