// Loading the NATS adapter must not blank anyone's stack traces: only the client's own unseen
// RequestError("cancelled") skips its stack (the cost it had per request).
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';

it('keeps stack traces everywhere but in the NATS client’s RequestError("cancelled")', async () => {
  await import('./index.js');
  const require = createRequire(import.meta.url);
  const errors = require('@nats-io/nats-core/internal') as { RequestError: new (m?: string) => Error };
  expect(Error.stackTraceLimit).toBeGreaterThan(0);
  expect(new Error('mine').stack).toMatch(/\n\s+at /);
  expect(new errors.RequestError('timeout').stack).toMatch(/\n\s+at /);
  const cancelled = new errors.RequestError('cancelled');
  expect(cancelled.stack).toBe('RequestError: cancelled');
  expect(cancelled.name).toBe('RequestError');
});
