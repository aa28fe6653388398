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
