// Helpers for tests that use the local services of scripts/services.sh.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const SERVICES = ['toxiproxy', 'kafka', 'rabbitmq', 'nats', 'redis', 'mosquitto'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Runs scripts/services.sh with the given arguments; rejects with its stderr. */
export async function services(...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [`${ROOT}scripts/services.sh`, ...args], { timeout: 120_000 });
  return stdout;
}

/** Probes one service with its own protocol (scripts/ready.mjs); resolves to null or the failure line. */
export async function probe(name: ServiceName, via: 'direct' | 'proxy'): Promise<string | null> {
  try {
    await run('node', [`${ROOT}scripts/ready.mjs`, name, via], { timeout: 20_000 });
    return null;
  } catch (err) {
    return ((err as { stderr?: string }).stderr ?? String(err)).trim();
  }
}

/** A name no other run uses, for topics, queues, streams and consumer groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}
