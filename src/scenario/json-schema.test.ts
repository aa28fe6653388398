import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderReference, scenarioJsonSchema } from './json-schema.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('generated scenario documentation', () => {
  it('schema/scenario.schema.json is what the zod schema generates (run `npm run gen` if not)', () => {
    expect(JSON.parse(read('schema/scenario.schema.json'))).toEqual(scenarioJsonSchema());
  });
  it('docs/scenario-reference.md is what the zod schema generates (run `npm run gen` if not)', () => {
    expect(read('docs/scenario-reference.md')).toBe(renderReference());
  });
  it('the reference names every workload field', () => {
    const ref = renderReference();
    for (const f of ['producers', 'consumers', 'subscriptions', 'rate', 'duration', 'warmup', 'message', 'batch', 'maxInFlight']) expect(ref).toContain(`\`workload.${f}\``);
  });
});
