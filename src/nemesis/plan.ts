// Fault specs → fault windows on the run's clock (repeats expanded), and the phases they make.
import { LOCAL_CLUSTERS, NODE_ROLES, type ClusterName } from '../cluster/local.js';
import type { PhaseSpan } from '../observe/phases.js';
import { KINDS, TOXIC_KINDS, type FaultKind, type FaultSpec, type ToxicKind } from './schema.js';
import { LIMITS } from '../scenario/fields.js';

export interface FaultWindow {
  /** fault-1, fault-2, … in time order. */
  id: string;
  label: string;
  kind: FaultKind;
  /** The proxy (network faults), the service (process actions), the cluster (its nodes' faults) or the command (exec). */
  target: string;
  /** Set when the fault acts on the nodes of the target's local cluster. */
  cluster?: ClusterName;
  /** Set when a process fault acts on a broker inside faultline's process (the memory broker). */
  inProcess?: true;
  /** ms from the start of the load (warmup included). */
  startMs: number;
  endMs: number;
  spec: FaultSpec;
  /** Index in the scenario's faults list, for messages. */
  index: number;
}

export const LOCAL_SERVICES = ['kafka', 'rabbitmq', 'nats', 'redis', 'mosquitto', 'toxiproxy'];

export const kindOf = (f: FaultSpec): FaultKind => KINDS.find((k) => f[k] !== undefined)!;
export const isToxic = (k: FaultKind): k is ToxicKind => (TOXIC_KINDS as readonly string[]).includes(k);
export const usesProxy = (k: FaultKind) => isToxic(k) || k === 'down';

/** A node selector names a role or one of the cluster's nodes. */
export const isNodeSelector = (cluster: ClusterName, s: string): boolean => (NODE_ROLES as readonly string[]).includes(s) || LOCAL_CLUSTERS[cluster].nodes.some((n) => n.name === s);

export function planFaults(faults: FaultSpec[], opts: { targetProxy?: string; targetCluster?: ClusterName; inProcessService?: string; warmupMs: number; durationMs: number }): { windows: FaultWindow[]; problems: string[] } {
  const problems: string[] = [];
  const raw: Omit<FaultWindow, 'id'>[] = [];
  const cluster = opts.targetCluster;
  const selectors = cluster ? [...NODE_ROLES, ...LOCAL_CLUSTERS[cluster].nodes.map((n) => n.name)].join(', ') : '';
  faults.forEach((f, index) => {
    const kind = kindOf(f);
    let target: string | undefined;
    let onCluster = false;
    let inProcess = false;
    if (kind === 'partition') {
      if (!cluster) problems.push(`faults[${index}].partition: a partition acts between the nodes of a cluster, but the target names none (set the target's cluster:, e.g. cluster: kafka3)`);
      else {
        const p = f.partition!;
        const named = [...(p.between?.flat() ?? []), ...(p.isolate ? [p.isolate] : [])];
        for (const n of named) if (!isNodeSelector(cluster, n)) problems.push(`faults[${index}].partition: '${n}' is not a node of ${cluster} (one of: ${selectors})`);
        if (p['majorities-ring'] && p.direction === 'one-way') problems.push(`faults[${index}].partition.direction: majorities-ring is one-way by its nature; leave direction out`);
      }
      target = cluster;
      onCluster = true;
    } else if (usesProxy(kind)) {
      const explicit = kind === 'down' ? (f.down === true ? undefined : (f.down as string)) : (f[kind as ToxicKind] as { proxy?: string }).proxy;
      target = explicit ?? opts.targetProxy;
      if (!target) problems.push(`faults[${index}]: ${kind} acts on a Toxiproxy proxy, but neither the fault nor the target names one (set the target's proxy:)`);
    } else if (kind === 'exec') target = f.exec!.start;
    else if (kind === 'consumer') target = 'consumers';
    else if (cluster && isNodeSelector(cluster, f[kind] as string)) {
      target = cluster;
      onCluster = true;
    } else if (opts.inProcessService !== undefined && f[kind] === opts.inProcessService) {
      target = opts.inProcessService;
      inProcess = true;
    } else {
      target = f[kind] as string;
      if (cluster && !LOCAL_SERVICES.includes(target)) problems.push(`faults[${index}].${kind}: '${target}' is not a node of ${cluster} (one of: ${selectors}) nor a service of scripts/services.sh`);
      else if (!LOCAL_SERVICES.includes(target)) problems.push(`faults[${index}].${kind}: '${target}' is not a service of scripts/services.sh (${LOCAL_SERVICES.join(', ')}); use exec: { start, stop } for other processes`);
    }
    const len = kind === 'restart' || f.consumer?.restart !== undefined ? 0 : (f.duration ?? f.for ?? (f.until !== undefined ? f.until - f.at : 0));
    const times = f.repeat?.times ?? 1;
    if (raw.length + times > LIMITS.repeats) {
      problems.push(`faults[${index}]: the faults make more than ${LIMITS.repeats} windows`);
      return;
    }
    for (let k = 0; k < times; k++) {
      const start = opts.warmupMs + f.at + k * (f.repeat?.every ?? 0);
      raw.push({ label: f.name ?? kind, kind, target: target ?? '?', ...(onCluster ? { cluster } : {}), ...(inProcess ? { inProcess: true as const } : {}), startMs: start, endMs: start + len, spec: f, index });
    }
    if (f.repeat && f.repeat.every < len) problems.push(`faults[${index}].repeat.every (${f.repeat.every} ms) is shorter than the fault (${len} ms): windows would overlap`);
  });
  const end = opts.warmupMs + opts.durationMs;
  raw.sort((a, b) => a.startMs - b.startMs);
  const windows = raw.map((w, i) => ({ ...w, id: `fault-${i + 1}` }));
  for (const w of windows) if (w.endMs > end || w.startMs >= end) problems.push(`faults[${w.index}]: ${w.id} (${w.kind}) ends at ${w.endMs - opts.warmupMs} ms, after the load (${opts.durationMs} ms)`);
  for (let i = 1; i < windows.length; i++) {
    if (windows[i].startMs < windows[i - 1].endMs) problems.push(`faults[${windows[i].index}]: ${windows[i].id} starts before ${windows[i - 1].id} ends; give faults their own windows so each has its phase and recovery`);
  }
  return { windows, problems };
}

/** warmup, baseline (to the first fault), then for each fault its window and the recovery after it. */
export function phasesOf(windows: FaultWindow[], warmupMs: number, durationMs: number): PhaseSpan[] {
  const phases: PhaseSpan[] = [];
  const end = warmupMs + durationMs;
  if (warmupMs > 0) phases.push({ name: 'warmup', startMs: 0, endMs: warmupMs });
  const firstFault = windows[0]?.startMs ?? end;
  if (firstFault > warmupMs) phases.push({ name: 'baseline', startMs: warmupMs, endMs: firstFault });
  windows.forEach((w, i) => {
    const n = i + 1;
    if (w.endMs > w.startMs) phases.push({ name: `fault-${n}`, startMs: w.startMs, endMs: w.endMs });
    const next = windows[i + 1]?.startMs ?? end;
    if (next > w.endMs) phases.push({ name: `recovery-${n}`, startMs: w.endMs, endMs: next });
  });
  return phases;
}
