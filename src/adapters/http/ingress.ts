// A producer that sends each event as one HTTP request: 2xx = ok, 4xx/5xx = failed, a timeout or a
// broken connection = indeterminate (the gateway may have written it).
import { Agent, request } from 'undici';
import type { SendOutcome } from '../../observe/outcome.js';
import type { OutgoingEvent, Producer } from '../types.js';
import { requestBody, type Ingress } from './config.js';

export function createHttpProducer(ingress: Ingress, counts: Record<string, number>): Producer {
  const agent = new Agent({ connections: ingress.connections, pipelining: 1, keepAliveTimeout: 10_000 });
  const headers = { 'content-type': 'application/json', ...ingress.headers };
  const one = async (ev: OutgoingEvent): Promise<SendOutcome> => {
    const payload = Buffer.from(ev.payload.buffer, ev.payload.byteOffset, ev.payload.byteLength).toString('base64');
    const body = requestBody(ingress, ev.key, payload, ev.idempotencyKey);
    try {
      const res = await request(ingress.url, { method: ingress.method, headers, body, dispatcher: agent, headersTimeout: ingress.timeout, bodyTimeout: ingress.timeout });
      await res.body.dump();
      const status = res.statusCode;
      counts[`http.${status}`] = (counts[`http.${status}`] ?? 0) + 1;
      return status >= 200 && status < 300 ? 'ok' : 'failed';
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'error';
      counts[`http.${code}`] = (counts[`http.${code}`] ?? 0) + 1;
      return 'indeterminate';
    }
  };
  return {
    send: (batch) => Promise.all(batch.map(one)),
    close: () => agent.close(),
  };
}
