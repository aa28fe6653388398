// The only module that talks to Toxiproxy: every call has a timeout, errors keep the server's answer.
//
// We take toxiproxy-node-client's types (so toxic names and attributes stay aligned with it) but
// not its HttpClient: it cannot time out a call (Toxiproxy's control API can hang under load,
// upstream issue 558), it drops the response body of an error, its Proxy forgets the toxics list,
// and it lets `down` through as a toxic type although the server refuses it.
import { PORTS } from '../ports.js';
import type { ToxicType as ClientToxicType } from 'toxiproxy-node-client';

export type ToxicType = Exclude<ClientToxicType, 'down'>;
export type Stream = 'upstream' | 'downstream';

export interface ToxicSpec {
  name: string;
  type: ToxicType;
  stream: Stream;
  toxicity: number;
  attributes: Record<string, number>;
}

export interface ProxyState {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicSpec[];
}

export class ToxiproxyError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ToxiproxyError';
  }
}

export interface ToxiproxyOptions {
  url?: string;
  timeoutMs?: number;
}

export const DEFAULT_TOXIPROXY_URL = `http://${PORTS.services.toxiproxy.direct}`;

export class Toxiproxy {
  readonly url: string;
  private readonly timeoutMs: number;

  constructor(opts: ToxiproxyOptions = {}) {
    this.url = (opts.url ?? process.env.TOXIPROXY_URL ?? DEFAULT_TOXIPROXY_URL).replace(/\/$/, '');
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  async version(): Promise<string> {
    return (await this.request('GET', '/version', undefined, 'text')) as string;
  }

  async proxies(): Promise<Record<string, ProxyState>> {
    return (await this.request('GET', '/proxies')) as Record<string, ProxyState>;
  }

  async proxy(name: string): Promise<ProxyState> {
    return (await this.request('GET', `/proxies/${encodeURIComponent(name)}`)) as ProxyState;
  }

  async addToxic(proxy: string, toxic: ToxicSpec): Promise<ToxicSpec> {
    return (await this.request('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, toxic)) as ToxicSpec;
  }

  async removeToxic(proxy: string, name: string): Promise<void> {
    try {
      await this.request('DELETE', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(name)}`);
    } catch (err) {
      // Already gone is healed.
      if (!(err instanceof ToxiproxyError && err.status === 404)) throw err;
    }
  }

  async setEnabled(proxy: string, enabled: boolean): Promise<void> {
    await this.request('POST', `/proxies/${encodeURIComponent(proxy)}`, { enabled });
  }

  /** Re-enables every proxy and removes every toxic (Toxiproxy's own reset). */
  async reset(): Promise<void> {
    await this.request('POST', '/reset');
  }

  private async request(method: string, path: string, body?: unknown, as: 'json' | 'text' = 'json'): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(this.url + path, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause = (err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new ToxiproxyError(`Toxiproxy at ${this.url} did not answer ${method} ${path} (${cause}); is it running? try: scripts/services.sh up`);
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text.trim();
      try {
        detail = (JSON.parse(text) as { error?: string }).error ?? detail;
      } catch {
        /* the body was not JSON: keep it as text */
      }
      throw new ToxiproxyError(`Toxiproxy ${method} ${path}: HTTP ${res.status}: ${detail}`, res.status);
    }
    if (as === 'text') return text.trim();
    return text.length ? JSON.parse(text) : undefined;
  }
}
