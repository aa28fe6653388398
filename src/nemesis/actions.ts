// What each fault kind does, and the steps that undo it. A step is recorded before its action runs,
// so a run killed mid-fault leaves on disk everything `faultline heal` needs.
import { fileURLToPath } from 'node:url';
import { shell } from '../process.js';
import { clusterSh, LOCAL_CLUSTERS } from '../cluster/local.js';
import { partitionCuts, resolveNodes, type ClusterView } from './cluster-faults.js';
import { consumerAction, type ConsumerControl } from './consumer-faults.js';
import type { InProcessBroker } from '../adapters/types.js';
import type { FaultWindow } from './plan.js';
import { isToxic } from './plan.js';
import type { ToxicKind } from './schema.js';
import type { Stream, Toxiproxy } from './toxiproxy.js';

const SERVICES_SH = fileURLToPath(new URL('../../scripts/services.sh', import.meta.url));

export type HealStep =
  | { kind: 'toxic'; proxy: string; toxic: string }
  | { kind: 'proxy'; proxy: string }
  | { kind: 'resume'; service: string }
  | { kind: 'start'; service: string }
  | { kind: 'exec'; command: string }
  /** A partition rule in a cluster's router (cluster: scripts/cluster.sh's name for it). */
  | { kind: 'unblock'; cluster: string; from: string; to: string; mode: 'blackhole' | 'prohibit' }
  | { kind: 'node-resume' | 'node-start'; cluster: string; node: string }
  /** A broker inside faultline's process (memory), run again; like the consumers, nothing for `faultline heal`. */
  | { kind: 'broker'; service: string }
  /** faultline's own consumer members: nothing outlives the run's process, so `faultline heal` has nothing to do. */
  | { kind: 'consumers'; action: 'run' | 'start'; members: string[] };

export interface ActionContext {
  tp: Toxiproxy;
  /** Unique per run, so two runs' toxics never collide. */
  prefix: string;
  /** Called with each undo step before the action it undoes. */
  record: (step: HealStep) => void;
  /** The target's cluster, for faults on its nodes. */
  cluster?: ClusterView;
  /** The run's consumer members, for consumer faults. */
  consumers?: ConsumerControl;
  /** A broker inside faultline's process, for its process faults. */
  broker?: InProcessBroker;
}

export const services = (action: string, name: string) => shell(`bash ${JSON.stringify(SERVICES_SH)} ${action} ${name}`);

/** Toxiproxy's attribute names and units for each toxic. */
function attributes(kind: ToxicKind, spec: Record<string, number | string>): Record<string, number> {
  const ms = (v: unknown) => Math.round(Number(v));
  switch (kind) {
    case 'latency':
      return { latency: ms(spec.latency), jitter: ms(spec.jitter) };
    case 'bandwidth':
      return { rate: Number(spec.rate) };
    case 'slow_close':
      return { delay: ms(spec.delay) };
    case 'timeout':
    case 'reset_peer':
      return { timeout: ms(spec.timeout) };
    case 'slicer':
      return { average_size: Number(spec.averageSize), size_variation: Number(spec.sizeVariation), delay: Math.round(Number(spec.delay) * 1000) };
    case 'limit_data':
      return { bytes: Number(spec.bytes) };
  }
}

/** Applies a fault to a cluster's nodes; returns the nodes it hit. */
async function applyClusterFault(w: FaultWindow, ctx: ActionContext): Promise<string[]> {
  const view = ctx.cluster;
  if (!view || !w.cluster) throw new Error(`${w.id} acts on a cluster's nodes, but the run has no cluster`);
  const script = LOCAL_CLUSTERS[w.cluster].script;
  if (w.kind === 'partition') {
    const spec = w.spec.partition!;
    const { cuts, side } = await partitionCuts(spec, view);
    for (const [from, to] of cuts) {
      ctx.record({ kind: 'unblock', cluster: script, from, to, mode: spec.mode });
      await clusterSh('block', script, from, to, spec.mode);
    }
    return side;
  }
  const nodes = await resolveNodes(w.spec[w.kind as 'kill' | 'pause' | 'restart']!, view);
  for (const node of nodes) {
    if (w.kind === 'pause') ctx.record({ kind: 'node-resume', cluster: script, node });
    if (w.kind === 'kill') ctx.record({ kind: 'node-start', cluster: script, node });
    await clusterSh(w.kind, script, node);
  }
  return nodes;
}

/** kill, pause or restart of a broker inside faultline's process. */
function applyInProcess(w: FaultWindow, ctx: ActionContext): void {
  const broker = ctx.broker;
  if (!broker) throw new Error(`${w.id} acts on the in-process broker '${w.target}', but this run has none`);
  if (w.kind === 'restart') {
    broker.kill();
    broker.start();
    return;
  }
  ctx.record({ kind: 'broker', service: broker.service });
  if (w.kind === 'kill') broker.kill();
  else broker.pause();
}

/** Applies one fault window (returns the nodes hit, for a cluster's). Undo steps are recorded first; the caller heals them. */
export async function applyFault(w: FaultWindow, ctx: ActionContext): Promise<string[] | void> {
  const f = w.spec;
  if (w.cluster) return applyClusterFault(w, ctx);
  if (w.inProcess) return applyInProcess(w, ctx);
  if (w.kind === 'consumer') {
    const control = ctx.consumers;
    if (!control) throw new Error(`${w.id} acts on consumer members, but this run has none here`);
    const action = consumerAction(f.consumer!);
    const members = control.select(f.consumer![action]!);
    if (action === 'slow') {
      ctx.record({ kind: 'consumers', action: 'run', members });
      control.slow(members, f.consumer!.delay!);
    } else if (action === 'pause' || action === 'stall') {
      ctx.record({ kind: 'consumers', action: 'run', members });
      control.set(members, action === 'pause' ? 'paused' : 'stalled');
    } else {
      if (action === 'kill') ctx.record({ kind: 'consumers', action: 'start', members });
      await control.kill(members);
      if (action === 'restart') await control.start(members);
    }
    return members;
  }
  if (isToxic(w.kind)) {
    const spec = f[w.kind] as { stream: 'upstream' | 'downstream' | 'both'; toxicity: number } & Record<string, number | string>;
    const streams: Stream[] = spec.stream === 'both' ? ['upstream', 'downstream'] : [spec.stream];
    for (const stream of streams) {
      const name = `${ctx.prefix}-${w.id}-${stream}`;
      ctx.record({ kind: 'toxic', proxy: w.target, toxic: name });
      await ctx.tp.addToxic(w.target, { name, type: w.kind, stream, toxicity: spec.toxicity, attributes: attributes(w.kind, spec) });
    }
    return;
  }
  switch (w.kind) {
    case 'down':
      ctx.record({ kind: 'proxy', proxy: w.target });
      return ctx.tp.setEnabled(w.target, false);
    case 'pause':
      ctx.record({ kind: 'resume', service: w.target });
      return services('pause', w.target);
    case 'kill':
      ctx.record({ kind: 'start', service: w.target });
      return services('kill', w.target);
    case 'restart':
      return services('restart', w.target);
    case 'exec':
      if (f.exec!.stop) ctx.record({ kind: 'exec', command: f.exec!.stop });
      return shell(f.exec!.start);
  }
}

/** Undoes one step; already-undone is fine (healing twice must be safe). */
export async function healStep(step: HealStep, tp: Toxiproxy, consumers?: ConsumerControl, broker?: InProcessBroker): Promise<void> {
  switch (step.kind) {
    case 'broker':
      broker?.start(); // `faultline heal` after a kill -9: the broker died with its process
      return;
    case 'consumers':
      if (!consumers) return; // `faultline heal` after a kill -9: the members died with their process
      if (step.action === 'run') {
        consumers.set(step.members, 'running');
        consumers.slow(step.members, 0);
      } else await consumers.start(step.members);
      return;
    case 'toxic':
      return tp.removeToxic(step.proxy, step.toxic);
    case 'proxy':
      return tp.setEnabled(step.proxy, true);
    case 'resume':
      return services('resume', step.service).catch((err) => {
        if (!/is not running/.test(String(err))) throw err;
      });
    case 'start':
      return services('start', step.service);
    case 'exec':
      return shell(step.command);
    case 'unblock':
      await clusterSh('unblock', step.cluster, step.from, step.to, step.mode);
      return;
    case 'node-resume':
      await clusterSh('resume', step.cluster, step.node).catch((err) => {
        if (!/is not running/.test(String(err))) throw err;
      });
      return;
    case 'node-start':
      await clusterSh('start', step.cluster, step.node);
      return;
  }
}

export function describeStep(s: HealStep): string {
  switch (s.kind) {
    case 'toxic':
      return `remove toxic ${s.toxic} from ${s.proxy}`;
    case 'proxy':
      return `re-enable proxy ${s.proxy}`;
    case 'exec':
      return `run '${s.command}'`;
    case 'unblock':
      return `remove the ${s.mode} rule ${s.from} → ${s.to} of ${s.cluster}`;
    case 'node-resume':
    case 'node-start':
      return `${s.kind.slice(5)} ${s.cluster} ${s.node}`;
    case 'consumers':
      return `${s.action} consumer members ${s.members.join(', ')}`;
    case 'broker':
      return `start the in-process broker ${s.service}`;
    default:
      return `${s.kind} ${s.service}`;
  }
}
