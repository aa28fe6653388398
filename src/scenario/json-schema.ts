// JSON Schemas generated from the zod schemas (for editors, and `faultline schema`).
import { z } from 'zod';
import { runResultSchema } from '../result.js';
import { scenarioSchema } from './schema.js';
import { gateMetrics } from './gates.js';

export function scenarioJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }), title: 'faultline scenario' };
}

export function resultJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(runResultSchema, { io: 'output', unrepresentable: 'any' }), title: 'faultline result.json' };
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  minimum?: number;
  pattern?: string;
};

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map(typeOf).join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'values'}`;
  if (s.type === 'object') return 'object';
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

function rows(s: JsonSchema, prefix: string, out: string[]): void {
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    if (name === '$schema') continue;
    const path = prefix ? `${prefix}.${name}` : name;
    const req = s.required?.includes(name) && child.default === undefined;
    const dflt = child.default === undefined ? (req ? '**required**' : '') : `\`${JSON.stringify(child.default)}\``;
    out.push(`| \`${path}\` | ${typeOf(child)} | ${dflt} | ${(child.description ?? '').replace(/\|/g, '\\|')} |`);
    if (child.properties) rows(child, path, out);
    for (const alt of child.anyOf ?? []) if (alt.properties) rows(alt, path, out);
    if (child.type === 'array' && child.items) for (const alt of [child.items, ...(child.items.anyOf ?? [])]) if (alt.properties) rows(alt, `${path}[]`, out);
  }
}

/** The scenario file reference (docs/scenario-reference.md), generated from the schema. */
export function renderReference(): string {
  const schema = scenarioJsonSchema() as JsonSchema;
  const top: string[] = [];
  const { targets, ...rest } = schema.properties ?? {};
  rows({ ...schema, properties: rest }, '', top);
  const targetRows: string[] = [];
  const t = targets?.additionalProperties as JsonSchema;
  for (const alt of t?.oneOf ?? t?.anyOf ?? [t]) {
    const adapter = alt.properties?.adapter?.const;
    targetRows.push(`\n### adapter: ${String(adapter)}\n`, '| field | type | default | meaning |', '| --- | --- | --- | --- |');
    rows(alt, `targets.<name>`, targetRows);
  }
  return [
    '# Scenario file reference',
    '',
    'Generated from the zod schema by `npm run gen` (a test fails if this file is stale). Unknown fields are errors.',
    'Units: durations `500ms`, `30s`, `2m`; rates `500/s`, `5k/s`; sizes `200B`, `1KiB`; fractions `0.01` or `1%`.',
    'Editors: put `# yaml-language-server: $schema=../schema/scenario.schema.json` on the first line.',
    '',
    '| field | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...top,
    '',
    '## Targets',
    '',
    '`targets` maps a name to one system under test; `--target NAME` picks one when there are several.',
    ...targetRows,
    '',
    '## Gates',
    '',
    'Each gate is `metric op value` (ops `< <= > >= == !=`), or `{ phase: NAME, check: "metric op value" }` for one phase.',
    'A value `baseline` or `baseline * 1.2` compares with the same metric of a stored run (`--baseline`). A gate with nothing to judge is unknown, never a pass.',
    '',
    '| metric | compared with |',
    '| --- | --- |',
    ...gateMetrics().map((m) => `| \`${m.metric}\` | ${m.unit} |`),
    '',
  ].join('\n');
}
