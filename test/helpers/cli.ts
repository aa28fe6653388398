// Runs the real CLI (bin/faultline.js) as a user would, optionally sending it a signal after a delay.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './services.js';

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The number of seconds of load a run folder under `under` has flushed (lines of its intervals.ndjson). */
function secondsFlushed(under: string): number {
  try {
    for (const d of readdirSync(under)) {
      const file = path.join(under, d, 'intervals.ndjson');
      if (existsSync(file)) return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    }
  } catch {
    // not there yet
  }
  return 0;
}

/**
 * Runs the CLI. `signalAfterMs` sends the signal after a delay; `signalAfterSeconds` once the run under
 * `out` has flushed that many seconds of load (the CLI's start takes 1 to 3 s, more beside other tests),
 * or after 30 s whatever happened.
 */
export function cli(args: string[], opts: { signalAfterMs?: number; signal?: NodeJS.Signals; signalAfterSeconds?: { seconds: number; out: string } } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('node', [`${ROOT}bin/faultline.js`, ...args], { cwd: ROOT, env: { ...process.env, CI: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (opts.signalAfterMs) setTimeout(() => child.kill(opts.signal ?? 'SIGINT'), opts.signalAfterMs);
    const after = opts.signalAfterSeconds;
    if (after) {
      const t0 = Date.now();
      const poll = setInterval(() => {
        if (secondsFlushed(after.out) < after.seconds && Date.now() - t0 < 30_000) return;
        clearInterval(poll);
        child.kill(opts.signal ?? 'SIGINT');
      }, 100);
      child.on('close', () => clearInterval(poll));
    }
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
