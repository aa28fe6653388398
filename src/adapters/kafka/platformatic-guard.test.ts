// The shape of the crash that ended a CI run: @platformatic/kafka 1.x asked for a connection to a
// node its metadata did not hold (the group's coordinator, coming back after a kill) and threw inside
// a callback. No broker is needed: the lookup fails before any connection is made.
import { Consumer, kGetConnection, kPerformWithRetry } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { guardMissingBrokers } from './platformatic-guard.js';

const consumer = () => new Consumer({ clientId: 'guard-test', bootstrapBrokers: ['127.0.0.1:1'], groupId: 'guard-test', retries: 2, retryDelay: 1 });
const missing = undefined as unknown as Parameters<Consumer[typeof kGetConnection]>[0];

describe('a node missing from the client’s metadata', () => {
  it('throws out of the library unguarded (the crash), and is a retriable error guarded, retried and then reported', async () => {
    const bare = consumer();
    expect(() => bare[kGetConnection](missing, () => undefined)).toThrow(TypeError);
    await bare.close();

    const guarded = guardMissingBrokers(consumer());
    let cleared = 0;
    const clear = guarded.clearMetadata.bind(guarded);
    guarded.clearMetadata = () => (cleared++, clear());
    let attempts = 0;
    const error = await new Promise<Error | null>((resolve) =>
      guarded[kPerformWithRetry](
        'joinGroup',
        (retry) => {
          attempts++;
          guarded[kGetConnection](missing, (err) => retry(err));
        },
        (err) => resolve(err),
      ),
    );
    expect(attempts).toBe(3); // the first try and both retries: the error says it may be retried
    expect(cleared).toBe(3); // each retry asks the cluster for its metadata again
    expect(error?.message).toMatch(/joinGroup failed 3 times/);
    expect((error as Error & { errors: Error[] }).errors[0]?.message).toMatch(/not in the client’s cluster metadata/);
    await guarded.close();
  });
});
