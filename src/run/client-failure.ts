// A client library's own failure is the environment, not a bug in faultline: a TypeError thrown
// inside @platformatic/kafka's connection pool while a 3-node cluster was still electing ended a run
// with "internal error" (exit 4), and the same run started fine seconds later. Such an error (thrown
// from a file in node_modules) is retried within a deadline where a step can be retried, and named
// with the client and what it failed on (exit 3).
import { EnvironmentError, isFaultlineError } from '../errors.js';

/** The EnvironmentError an error thrown inside a client library stands for, or null for any other error. */
export function clientFailure(err: unknown): EnvironmentError | null {
  if (isFaultlineError(err) || !(err instanceof Error)) return null;
  const thrownAt = err.stack?.split('\n').find((l) => /^\s+at /.test(l)) ?? '';
  const client = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(thrownAt)?.[1];
  if (!client) return null;
  return new EnvironmentError(`the ${client} client failed: ${err.name}: ${err.message} (${thrownAt.trim()})`, 'a client library failing while its broker settles (a cluster electing, a node restarting): run again; if it persists, check the broker and the client version');
}

/** Runs `step`, again while it fails inside a client library, until `deadlineMs` (or the run is interrupted); then throws that failure as an EnvironmentError. */
export async function retryClientFailures<T>(step: () => Promise<T>, deadlineMs: number, pauseMs = 500, aborted: () => boolean = () => false): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await step();
    } catch (err) {
      const env = clientFailure(err);
      if (!env) throw err;
      if (Date.now() + pauseMs > until || aborted()) throw env;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
}

/**
 * Errors a client library throws from its own callbacks during a run (no call of ours to catch them):
 * a run in progress takes them as the client's failure, logged as a client event, and goes on (its
 * consumers' watchdogs reopen what the client broke; the verdicts judge what happened). Without a
 * run listening they stay uncaught: a crash.
 */
const listeners = new Set<(failure: EnvironmentError) => void>();

export function onClientThrow(listener: (failure: EnvironmentError) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True when a run took the uncaught error as its client's failure. */
export function takenAsClientFailure(err: unknown): boolean {
  const failure = clientFailure(err);
  if (!failure || listeners.size === 0) return false;
  for (const l of listeners) l(failure);
  return true;
}
