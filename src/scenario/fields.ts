// zod field types for the scenario's human units; each keeps the written form in the JSON Schema.
import { z } from 'zod';
import { parseDuration, parseFraction, parseRate, parseSize } from '../units.js';

/**
 * The largest value of each kind a scenario may hold: nothing a run on one machine needs is bigger,
 * and a value past them is refused at once (a plan over a duration of 10^11 s would take hours to
 * compute). In the JSON Schema as each field's `maximum` (in ms, events/s, bytes).
 */
export const LIMITS = {
  durationMs: 7 * 24 * 3_600_000,
  rate: 10_000_000,
  sizeBytes: 64 * 1024 * 1024,
  count: 1_000_000,
  /** Producers, consumers per subscription, subscriptions: processes and connections on one machine. */
  clients: 1024,
  /** Fault windows of one fault's repeat. */
  repeats: 10_000,
} as const;

function unit(parse: (v: string | number) => number | undefined, expected: string, example: string, max: number, maxText: string) {
  return z
    .union([z.string(), z.number()], { error: () => `expected ${expected} (e.g. ${example})` })
    .meta({ description: `${expected}, e.g. ${example}; at most ${maxText}`, maximum: max })
    .transform((v, ctx) => {
      const parsed = parse(v);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${expected} (e.g. ${example})`, input: v });
        return z.NEVER;
      }
      if (parsed > max) {
        ctx.addIssue({ code: 'custom', message: `expected ${expected} of at most ${maxText}`, input: v });
        return z.NEVER;
      }
      return parsed;
    });
}

/** Milliseconds. */
export const duration = () => unit(parseDuration, 'a duration', '500ms, 30s, 2m', LIMITS.durationMs, '7 days (168h)');
/** Events per second. */
export const rate = () => unit(parseRate, 'a rate', '500/s, 5k/s', LIMITS.rate, '10M/s');
/** Bytes. */
export const size = () => unit(parseSize, 'a size', '200B, 1KiB', LIMITS.sizeBytes, '64MiB');
/** A fraction in [0, 1]. */
export const fraction = () => unit(parseFraction, 'a fraction or percentage', '0.01 or 1%', 1, '100%');
export const count = (min = 1, max: number = LIMITS.count) => z.number().int().min(min).max(max);

/** A time each event takes: a duration, or `uniform 1ms..10ms` (drawn per event). Milliseconds. */
export const delayRange = () =>
  z
    // the object form is what this field parses to: a scenario as run (in a history's header) parses again
    .union([z.string(), z.number(), z.strictObject({ min: z.number().min(0), max: z.number().min(0) })], { error: () => 'expected a duration or uniform MIN..MAX (e.g. 5ms, uniform 1ms..10ms)' })
    .meta({ description: 'a duration, or uniform MIN..MAX drawn per event, e.g. 5ms or uniform 1ms..10ms' })
    .transform((v, ctx) => {
      if (typeof v === 'object') return v.min <= v.max ? v : (ctx.addIssue({ code: 'custom', message: 'min must not exceed max', input: v }), z.NEVER);
      const m = typeof v === 'string' ? /^uniform\s+(\S+?)\s*\.\.\s*(\S+)$/.exec(v.trim()) : null;
      const [min, max] = m ? [parseDuration(m[1]), parseDuration(m[2])] : [parseDuration(v), parseDuration(v)];
      if (min === undefined || max === undefined || min > max || max > LIMITS.durationMs) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration or uniform MIN..MAX with MIN ≤ MAX (e.g. 5ms, uniform 1ms..10ms)', input: v });
        return z.NEVER;
      }
      return { min, max };
    });
