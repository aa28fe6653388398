// HTTP ingress: events sent to a user's HTTP endpoint (an event gateway) instead of the broker.
import { z } from 'zod';
import { count, duration } from '../../scenario/fields.js';

export const ingressSchema = z.strictObject({
  url: z.string().regex(/^https?:\/\//, 'an http:// URL'),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional().meta({ description: 'a template: ${key}, ${payload} (base64: the envelope and filler), ${id}; default: {"key":"${key}","payload":"${payload}"} as JSON' }),
  timeout: duration().default(10_000).meta({ description: 'no answer by then: indeterminate' }),
  connections: count().default(64).meta({ description: 'keep-alive connections per producer' }),
});
export type Ingress = z.output<typeof ingressSchema>;
