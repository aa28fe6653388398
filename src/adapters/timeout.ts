// Bounds a client call that might never answer (a black-holed connection): rejects after `ms`.
export function withTimeout<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()))]).finally(() => clearTimeout(timer));
}
