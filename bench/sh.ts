// Runs a command for a bench and returns its output; a failure returns what it printed, for the notes.
import { execFileSync } from 'node:child_process';

export function sh(cmd: string, args: string[], timeoutMs = 180_000): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ''}\n${e.stderr ?? ''}\n${e.message}`;
  }
}
