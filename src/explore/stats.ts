// The numbers behind shrinking a flaky failure: how many passing runs reject a step, and how sure a
// reproduction rate is.

/** Passing runs after which a step is rejected: with a failure rate p, m = ⌈ln(1 − confidence) / ln(1 − p)⌉ (90 %: ln 0.1). */
export function rejectAfter(p: number, confidence = 0.9): number {
  if (p >= 1) return 1;
  if (p <= 0) return Infinity;
  return Math.max(1, Math.ceil(Math.log(1 - confidence) / Math.log(1 - p)));
}

/** Wilson's score interval for k successes in n trials (95 % by default): "4 of 5, 95 %: 0.38–0.96". */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export const rateWords = (k: number, n: number): string => {
  const [lo, hi] = wilson(k, n);
  return `${k} of ${n}, 95 %: ${lo.toFixed(2)}–${hi.toFixed(2)}`;
};
