// What `faultline explore` may inject into a scenario's target: the faults it supports (every kind,
// unless the scenario's `explore:` names some), aimed at roles or nodes, and the bounds of a schedule.
import { LOCAL_CLUSTERS, NODE_ROLES } from '../cluster/local.js';
import type { Scenario } from '../scenario/schema.js';
import type { Fault } from './schedule.js';
import { exploreSchema, resolveBounds, type ExploreBounds, type ExploreKind } from './schema.js';

export type Template = Omit<Fault, 'at' | 'length'>;

export interface Space {
  templates: Template[];
  spec: ExploreBounds;
  /** The load after its warmup, ms: faults and the tail fit in it. */
  durationMs: number;
}

/** The service scripts/services.sh runs for an adapter (a process fault on a single broker). */
const SERVICE: Record<string, string> = { kafka: 'kafka', rabbitmq: 'rabbitmq', nats: 'nats', redis: 'redis', mqtt: 'mosquitto', memory: 'memory' };
const CONSUMER_MODES = ['pause', 'stall', 'kill', 'slow'];
const TOXICS = ['latency', 'timeout', 'reset_peer', 'down'] as const;

/** Every fault the target supports, as (kind, target, mode) before timing; a ScenarioError-worthy message when none. */
export function spaceOf(scenario: Scenario, targetName: string): Space | string {
  const target = scenario.targets[targetName] as { adapter: string; cluster?: string; proxy?: string };
  const spec = resolveBounds(scenario.explore ?? exploreSchema.parse({}), scenario.workload.duration);
  const cluster = target.cluster ? LOCAL_CLUSTERS[target.cluster as keyof typeof LOCAL_CLUSTERS] : undefined;
  // a single broker's process is faultline's to kill only when it is the local one of scripts/services.sh
  // (the in-process memory broker, or a target behind the local proxy named after its service)
  const service = SERVICE[target.adapter];
  const local = target.adapter === 'memory' || (service !== undefined && target.proxy === service);
  const aims = spec.targets ?? (cluster ? [...NODE_ROLES] : local ? [service] : []);
  const all: Template[] = [];
  const want = (k: ExploreKind) => (spec.kinds ? spec.kinds.includes(k) : k !== 'restart');
  for (const kind of ['kill', 'pause', 'restart'] as const) if (want(kind)) for (const t of aims) all.push({ kind, target: t });
  if (cluster && want('partition')) for (const t of aims) for (const mode of ['blackhole', 'prohibit']) all.push({ kind: 'partition', target: t, mode });
  if (target.proxy) for (const kind of TOXICS) if (want(kind)) all.push({ kind, target: '' });
  const w = scenario.workload;
  if (w.subscriptions > 0 && want('consumer')) for (const mode of CONSUMER_MODES) for (const m of [...Array.from({ length: w.consumers }, (_, i) => String(i)), 'all']) all.push({ kind: 'consumer', target: m, mode });
  if (all.length === 0) return `explore: no fault of ${spec.kinds?.join(', ') ?? 'any kind'} applies to target ${targetName} (${target.adapter}${target.cluster ? ` on ${target.cluster}` : ''}${target.proxy ? '' : ', no proxy'})`;
  const durationMs = w.duration;
  if (durationMs - spec.tail < spec.window.min) return `explore: the load (${durationMs} ms after its warmup) leaves no room for a ${spec.window.min} ms fault before the ${spec.tail} ms fault-free tail`;
  return { templates: all, spec, durationMs };
}
