// Regenerates schema/scenario.schema.json and docs/scenario-reference.md from the zod schema.
// `npm run gen`; a test fails when the committed files differ from what this writes.
import { writeFileSync } from 'node:fs';
import { renderReference, scenarioJsonSchema } from '../src/scenario/json-schema.js';

const root = new URL('../', import.meta.url);
writeFileSync(new URL('schema/scenario.schema.json', root), JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
writeFileSync(new URL('docs/scenario-reference.md', root), renderReference());
console.log('wrote schema/scenario.schema.json and docs/scenario-reference.md');
