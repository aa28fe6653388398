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
  engine: z
    .enum(['undici', 'autocannon'])
    .default('undici')
    .meta({ description: 'undici: the open-loop (or closed-loop) send loop, each event sent at its intended time; autocannon: a closed loop of connections × pipelining requests in flight, for an HTTP gateway’s ceiling (needs workload.rate: { closed: {} })' }),
  pipelining: count().default(1).meta({ description: 'with engine autocannon: requests in flight per connection (HTTP/1.1 pipelining)' }),
});
export type Ingress = z.output<typeof ingressSchema>;

const DEFAULT_BODY = '{"key":"${key}","payload":"${payload}"}';

/** One request's body: the ingress's template (or the default JSON) with the event's key, base64 payload and idempotency id. */
export function requestBody(ingress: Pick<Ingress, 'body'>, key: string, payloadBase64: string, id: string): string {
  return (ingress.body ?? DEFAULT_BODY).replace(/\$\{(key|payload|id)\}/g, (_m, k: string) => (k === 'key' ? key : k === 'payload' ? payloadBase64 : id));
}
