// The one process runner: a command in its own process group, so a timeout (or the end of the run)
// kills everything it started, not just its shell; its output collected; a failure named with the
// last line it printed.
import { spawn } from 'node:child_process';

export class CommandError extends Error {}

/** Runs `file args`; resolves with its stdout; rejects when it exits non-zero or runs past `timeoutMs` (its whole group killed). */
export function runCommand(file: string, args: string[], { timeoutMs = 120_000, what = [file, ...args].join(' ') } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      reject(new CommandError(`'${what}' ran past ${timeoutMs} ms: stopped`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new CommandError(`'${what}' could not start: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(stdout);
      const last = (stderr || stdout).trim().split('\n').pop() || (signal ? `killed by ${signal}` : `exit ${code}`);
      reject(new CommandError(`'${what}' failed: ${last}`));
    });
  });
}

/** A shell command line, run as above. */
export async function shell(command: string, timeoutMs = 120_000): Promise<void> {
  await runCommand('bash', ['-c', command], { timeoutMs, what: command });
}
