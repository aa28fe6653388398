// Runs the real CLI (bin/faultline.js) as a user would, optionally sending it a signal after a delay.
import { spawn } from 'node:child_process';
import { ROOT } from './services.js';

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { signalAfterMs?: number; signal?: NodeJS.Signals } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('node', [`${ROOT}bin/faultline.js`, ...args], { cwd: ROOT, env: { ...process.env, CI: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (opts.signalAfterMs) setTimeout(() => child.kill(opts.signal ?? 'SIGINT'), opts.signalAfterMs);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
