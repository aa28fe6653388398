// A bug in faultline once the run has started is not an environment problem: the run still heals,
// writes what it saw and ends with status error, code INTERNAL, which the CLI turns into exit 4.
import { expect, it } from 'vitest';
import { exitCodeOf } from './cli/output.js';
import { systemClock, type Clock } from './clock.js';
import { EXIT } from './errors.js';
import { runScenario } from './run/index.js';
import { parseScenario } from './scenario/load.js';

it('an exception inside the run: status error, code INTERNAL, exit 4, the events so far judged', async () => {
  let sleeps = 0;
  // A clock that breaks after the load has been running a while: a stand-in for any bug in the engine.
  const broken: Clock = { now: systemClock.now, sleep: (ms) => (++sleeps > 20 ? Promise.reject(new TypeError('boom')) : systemClock.sleep(ms)) };
  const { scenario } = parseScenario('name: bug\ntargets: { m: { adapter: memory } }\nworkload: { rate: 200/s, duration: 3s }\n', 'bug.yaml');
  const outcome = await runScenario(scenario, { write: false, clock: broken });
  expect(outcome.internalError?.message).toBe('boom');
  expect(outcome.result).toMatchObject({ status: 'error', errorCode: 'INTERNAL', error: 'boom' });
  expect(outcome.result.counts.attempted).toBeGreaterThan(0);
  expect(exitCodeOf(outcome.result)).toBe(EXIT.internal);
  expect(exitCodeOf({ ...outcome.result, errorCode: 'ENVIRONMENT' })).toBe(EXIT.environment);
});
