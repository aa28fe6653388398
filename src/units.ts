// Parsing of the human units used in scenarios: durations, rates, sizes and percentages.

const DURATION: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZE: Record<string, number> = { b: 1, kb: 1000, kib: 1024, mb: 1_000_000, mib: 1024 * 1024 };
const MULT: Record<string, number> = { '': 1, k: 1000, m: 1_000_000 };

/** `500ms`, `30s`, `2m`, `1.5h`, `1m30s` → milliseconds; a bare number is milliseconds. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : undefined;
  const s = input.trim();
  if (!/^(\d+(\.\d+)?\s*(us|µs|ms|s|m|h)\s*)+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|h)/g)) total += Number(m[1]) * DURATION[m[2]];
  return total;
}

/** `500/s`, `5k/s`, `1.2k/s`, `60/m`, or a bare number (per second) → events per second. */
export function parseRate(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input > 0 ? input : undefined;
  const m = input.trim().match(/^(\d+(?:\.\d+)?)\s*([km]?)\s*\/\s*(s|m|h)$/i);
  if (!m) return undefined;
  const per = { s: 1, m: 60, h: 3600 }[m[3].toLowerCase() as 's' | 'm' | 'h'];
  const v = (Number(m[1]) * MULT[m[2].toLowerCase()]) / per;
  return v > 0 ? v : undefined;
}

/** `200B`, `1KiB`, `4kB`, `1MiB`, or a bare number of bytes → bytes. */
export function parseSize(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isInteger(input) && input >= 0 ? input : undefined;
  const m = input.trim().match(/^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib)$/i);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * SIZE[m[2].toLowerCase()]);
}

/** `1%`, `0.5%` or a fraction `0.01` → a fraction in [0, 1]. */
export function parseFraction(input: string | number): number | undefined {
  const v = typeof input === 'number' ? input : /^\s*\d+(\.\d+)?\s*%\s*$/.test(input) ? Number(input.trim().slice(0, -1).trim()) / 100 : NaN;
  return v >= 0 && v <= 1 ? v : undefined;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms >= 10) return `${ms.toFixed(0)}ms`;
  if (ms >= 1) return `${ms.toFixed(2)}ms`;
  return `${(ms * 1000).toFixed(0)}µs`;
}
