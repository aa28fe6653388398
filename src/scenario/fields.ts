// zod field types for the scenario's human units; each keeps the written form in the JSON Schema.
import { z } from 'zod';
import { parseDuration, parseFraction, parseRate, parseSize } from '../units.js';

function unit(parse: (v: string | number) => number | undefined, expected: string, example: string) {
  return z
    .union([z.string(), z.number()], { error: () => `expected ${expected} (e.g. ${example})` })
    .meta({ description: `${expected}, e.g. ${example}` })
    .transform((v, ctx) => {
      const parsed = parse(v);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${expected} (e.g. ${example})`, input: v });
        return z.NEVER;
      }
      return parsed;
    });
}

/** Milliseconds. */
export const duration = () => unit(parseDuration, 'a duration', '500ms, 30s, 2m');
/** Events per second. */
export const rate = () => unit(parseRate, 'a rate', '500/s, 5k/s');
/** Bytes. */
export const size = () => unit(parseSize, 'a size', '200B, 1KiB');
/** A fraction in [0, 1]. */
export const fraction = () => unit(parseFraction, 'a fraction or percentage', '0.01 or 1%');
export const count = (min = 1) => z.number().int().min(min);

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
      if (min === undefined || max === undefined || min > max) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration or uniform MIN..MAX with MIN ≤ MAX (e.g. 5ms, uniform 1ms..10ms)', input: v });
        return z.NEVER;
      }
      return { min, max };
    });
