import { describe, expect, it } from 'vitest';
import { EnvironmentError, ScenarioError } from '../errors.js';
import { clientFailure, onClientThrow, retryClientFailures, takenAsClientFailure } from './client-failure.js';

/** An error as a client library throws it: its first frame in node_modules. */
function thrownIn(file: string): Error {
  const err = new TypeError("Cannot read properties of undefined (reading 'host')");
  err.stack = `TypeError: Cannot read properties of undefined (reading 'host')\n    at ConnectionPool.get (${file}:120:31)\n    at Producer.send (/app/src/adapters/kafka/request-pipeline.ts:40:9)`;
  return err;
}

describe('a client library’s failure', () => {
  it('is the environment (exit 3), named with the client and where it failed; faultline’s own errors are not', () => {
    const env = clientFailure(thrownIn('/app/node_modules/@platformatic/kafka/dist/network/connection-pool.js'));
    expect(env).toBeInstanceOf(EnvironmentError);
    expect(env?.exitCode).toBe(3);
    expect(env?.message).toMatch(/^the @platformatic\/kafka client failed: TypeError: Cannot read properties of undefined \(reading 'host'\) \(at ConnectionPool.get/);
    expect(clientFailure(thrownIn('/app/src/run/execute.ts'))).toBeNull();
    expect(clientFailure(new ScenarioError('bad'))).toBeNull();
  });

  it('is retried within the deadline, then thrown as the environment; other errors are thrown at once', async () => {
    let calls = 0;
    expect(await retryClientFailures(async () => (++calls < 3 ? Promise.reject(thrownIn('/x/node_modules/kafkajs/src/a.js')) : 'set up'), 5000, 10)).toBe('set up');
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryClientFailures(async () => (calls++, Promise.reject(thrownIn('/x/node_modules/kafkajs/src/a.js'))), 100, 10)).rejects.toThrow(/the kafkajs client failed/);
    expect(calls).toBeGreaterThan(3);
    calls = 0;
    await expect(retryClientFailures(async () => (calls++, Promise.reject(new Error('ours'))), 5000, 10)).rejects.toThrow('ours');
    expect(calls).toBe(1);
  });

  it('thrown from a client’s own callbacks during a run: the run takes it as its client’s failure; without a run, or from our code, it stays a crash', () => {
    const thrown = thrownIn('/app/node_modules/@platformatic/kafka/dist/network/connection-pool.js');
    expect(takenAsClientFailure(thrown)).toBe(false);
    const seen: string[] = [];
    const off = onClientThrow((f) => seen.push(f.message));
    expect(takenAsClientFailure(thrown)).toBe(true);
    expect(takenAsClientFailure(thrownIn('/app/src/run/execute.ts'))).toBe(false);
    off();
    expect(takenAsClientFailure(thrown)).toBe(false);
    expect(seen).toEqual([expect.stringMatching(/^the @platformatic\/kafka client failed: TypeError/)]);
  });
});
