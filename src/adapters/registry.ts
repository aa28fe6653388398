// Every adapter, loaded lazily: a NATS run never loads kafkajs.
import { ScenarioError } from '../errors.js';
import type { TargetConfig } from './configs.js';
import type { Adapter, AdapterContext, Capabilities } from './types.js';

type Loader = (target?: TargetConfig) => Promise<{ create: (target: never, ctx: AdapterContext) => Adapter; capabilities: Capabilities }>;

export const adapters = {
  memory: () => import('./memory/index.js'),
  kafka: (target?: TargetConfig) => (target?.adapter === 'kafka' && target.client === 'platformatic' ? import('./kafka/platformatic.js') : import('./kafka/index.js')),
  rabbitmq: () => import('./rabbitmq/index.js'),
  nats: () => import('./nats/index.js'),
  redis: () => import('./redis/index.js'),
  mqtt: () => import('./mqtt/index.js'),
} as const satisfies Record<TargetConfig['adapter'], Loader>;

export type AdapterName = keyof typeof adapters;

export async function loadAdapter(target: TargetConfig, ctx: AdapterContext): Promise<Adapter> {
  const load = adapters[target.adapter as AdapterName] as Loader | undefined;
  if (!load) throw new ScenarioError(`unknown adapter '${target.adapter}' (one of: ${Object.keys(adapters).join(', ')})`);
  const mod = await load(target);
  return mod.create(target as never, ctx);
}

export async function capabilitiesOf(name: AdapterName): Promise<Capabilities> {
  return (await adapters[name]()).capabilities;
}
