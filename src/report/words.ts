// How every reporter names a verdict, so the console, the page, Markdown and JUnit agree: a gate
// that could not be judged is "unknown" (never a pass, and not a fail either).
import type { RunResult } from '../result.js';

export type GateWord = 'pass' | 'fail' | 'unknown';

export const gateWord = (g: RunResult['gates'][number]): GateWord => (g.passed ? 'pass' : g.verdict === 'unknown' ? 'unknown' : 'fail');

/** The one-character mark of each word (console and page). */
export const MARK: Record<GateWord, string> = { pass: '✓', fail: '✗', unknown: '?' };

/** How the duplicates are told: extra deliveries, and how many events the final read found written twice. */
export function duplicatesDetail(k: RunResult['counts']): string {
  const n = (v: number) => v.toLocaleString('en-US');
  if (!k.duplicated && !k.duplicateWrites) return '';
  const redelivered = k.redelivered ? `; ${n(k.redelivered)} redelivered (the same position read again)` : '';
  return `${n(k.duplicateDeliveries)} extra deliveries${redelivered}${k.duplicateWrites ? `; ${n(k.duplicateWrites)} events written twice (two positions in the log)` : ''}`;
}
