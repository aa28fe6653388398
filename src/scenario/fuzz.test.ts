// Bounded inputs: the shipped scenarios, mutated in process by a seeded mutator of our own (values
// past every limit, broken YAML, aliases, deleted and duplicated lines, wrong indentation), each
// validated as `faultline validate` does. Every file is accepted or refused with a ScenarioError
// (exit 2) whose every problem has a position, within 2 s, and nothing else is ever thrown.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Random } from '../clock.js';
import { ScenarioError } from '../errors.js';
import { validateScenarioText } from '../validate.js';

const DIR = path.join(import.meta.dirname, '../../scenarios');
const shipped = readdirSync(DIR, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(path.join(DIR, f), 'utf8'));

const NASTY = [
  '349520802497s',
  '1e309',
  '-1',
  '0',
  '',
  '~',
  '*undefinedAlias',
  '&a [*a, *a]',
  '"\\u0000"',
  '{}',
  '[]',
  '.nan',
  '.inf',
  '-.inf',
  '9'.repeat(400),
  'true',
  '0/s',
  '10000000000/s',
  '0B',
  '70MiB',
  '1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h',
  '99999999999',
  '2147483648',
  '1.5',
  '"x"',
  '!!binary aGk=',
  '[1, 2',
  '{a: 1',
  "'",
  '%',
  '@',
  '`',
  'uniform 1ms..1000000000s',
  '1%',
  '101%',
  'all',
  '-0',
];
const KEYS = ['name', 'rate', 'duration', 'warmup', 'producers', 'consumers', 'subscriptions', 'count', 'size', 'at', 'for', 'every', 'times', 'seed', 'partitions', 'deadline', 'quiet', 'unknownField', '<<', 'inFlight', 'maxInFlight', 'delay'];

/** One mutation of a scenario's text. */
function mutate(text: string, rng: Random): string {
  const lines = text.split('\n');
  const i = rng.int(lines.length);
  const pick = <T>(xs: T[]) => xs[rng.int(xs.length)];
  switch (rng.int(9)) {
    case 0: // a value replaced (after the first `: ` of a line, or inside a flow mapping)
    case 1: {
      const m = /^(.*?:\s)(.*)$/.exec(lines[i]);
      if (m) lines[i] = `${m[1]}${pick(NASTY)}`;
      else lines[i] = `${lines[i]} ${pick(NASTY)}`;
      break;
    }
    case 2: // a number anywhere multiplied beyond reason
      lines[i] = lines[i].replace(/\d+/, (d) => `${d}${'0'.repeat(1 + rng.int(14))}`);
      break;
    case 3:
      lines.splice(i, 1);
      break;
    case 4:
      lines.splice(i, 0, lines[i]);
      break;
    case 5:
      lines[i] = rng.int(2) ? `  ${lines[i]}` : lines[i].replace(/^ {1,2}/, '');
      break;
    case 6: // a key replaced
      lines[i] = lines[i].replace(/[A-Za-z]+(?=:)/, pick(KEYS));
      break;
    case 7: {
      // characters deleted, inserted or replaced anywhere
      const chars = text.split('');
      const at = rng.int(chars.length);
      const kind = rng.int(3);
      if (kind === 0) chars.splice(at, 1 + rng.int(8));
      else if (kind === 1) chars.splice(at, 0, pick(['', ':', '- ', '{', ']', '"', '&a', '*a', '\t', '${X}', '? ', '!!binary']));
      else chars[at] = String.fromCharCode(32 + rng.int(95));
      return chars.join('');
    }
    default:
      return text.slice(0, rng.int(text.length));
  }
  return lines.join('\n');
}

describe('any scenario file gets an answer', () => {
  it('3,000 mutated scenarios: accepted, or refused with a position for every problem, each within 2 s', async () => {
    const rng = new Random(20261206);
    const slow: string[] = [];
    const unpositioned: string[] = [];
    let refused = 0;
    const t0 = performance.now();
    for (let n = 0; n < 3000; n++) {
      let text = shipped[n % shipped.length];
      for (let k = 1 + rng.int(3); k > 0; k--) text = mutate(text, rng);
      const started = performance.now();
      try {
        await validateScenarioText(text, 'm.yaml', { env: {} });
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw new Error(`mutation ${n} threw ${(err as Error).stack}\n--- the file:\n${text}`, { cause: err });
        refused++;
        const problems = err.problems.length ? err.problems : [err.message];
        for (const p of problems) if (!/^m\.yaml:\d+:\d+: /.test(p)) unpositioned.push(`${n}: ${p}`);
      }
      const ms = performance.now() - started;
      if (ms > 2000) slow.push(`${n}: ${Math.round(ms)} ms\n${text}`);
    }
    expect(slow).toEqual([]);
    expect(unpositioned.slice(0, 10)).toEqual([]);
    // the mutator is not toothless: most of what it makes is refused
    expect(refused).toBeGreaterThan(1500);
    expect(performance.now() - t0).toBeLessThan(60_000);
  }, 90_000);
});
