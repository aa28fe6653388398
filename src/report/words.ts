// How every reporter names a verdict, so the console, the page, Markdown and JUnit agree: a gate
// that could not be judged is "unknown" (never a pass, and not a fail either).
import type { RunResult } from '../result.js';

export type GateWord = 'pass' | 'fail' | 'unknown';

export const gateWord = (g: RunResult['gates'][number]): GateWord => (g.passed ? 'pass' : g.verdict === 'unknown' ? 'unknown' : 'fail');

/** The one-character mark of each word (console and page). */
export const MARK: Record<GateWord, string> = { pass: '✓', fail: '✗', unknown: '?' };
