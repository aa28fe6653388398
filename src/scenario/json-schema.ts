// JSON Schemas generated from the zod schemas (for editors, and `faultline schema`).
import { z } from 'zod';
import { runResultSchema } from '../result.js';
import { scenarioSchema } from './schema.js';

export function scenarioJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }), title: 'faultline scenario' };
}

export function resultJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(runResultSchema, { io: 'output', unrepresentable: 'any' }), title: 'faultline result.json' };
}
