// The one timeout: bounds a call that might never answer (a black-holed connection, a hung client).
// It rejects after `ms`; a caller that only wants to wait at most `ms` adds `.catch(() => undefined)`.
export class TimeoutError extends Error {}

export function withTimeout<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(`no answer in ${ms} ms`)), ms).unref()))]).finally(() => clearTimeout(timer));
}

/** Waits for `p` at most `ms`; never rejects (undefined when it failed or did not answer in time). */
export function settleWithin<T>(ms: number, p: Promise<T> | undefined): Promise<T | undefined> {
  return p ? withTimeout(ms, p).catch(() => undefined) : Promise.resolve(undefined);
}
