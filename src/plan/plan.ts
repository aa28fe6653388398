// Scenario → RunPlan: the chosen target, its adapter's capabilities checked, schedules, phases and gates.
import type { TargetConfig } from '../adapters/configs.js';
import { capabilitiesOf, type AdapterName } from '../adapters/registry.js';
import type { Capabilities } from '../adapters/types.js';
import { needsDeliveries, parseGate, type ParsedGate } from '../scenario/gates.js';
import { ScenarioError } from '../errors.js';
import { expectedEvents, rateFunction, type RateFn } from '../load/schedules.js';
import type { PhaseSpan } from '../observe/phases.js';
import { phasesOf, planFaults, type FaultWindow } from '../nemesis/plan.js';
import type { Scenario } from '../scenario/schema.js';

export interface RunPlan {
  scenario: Scenario;
  targetName: string;
  target: TargetConfig;
  capabilities: Capabilities;
  seed: number;
  rate: RateFn | null;
  closedInFlight: number;
  warmupMs: number;
  durationMs: number;
  phases: PhaseSpan[];
  faults: FaultWindow[];
  /** Indexes of phases left out of run-wide latency and throughput. */
  excludedPhases: Set<number>;
  gates: ParsedGate[];
  /** What the scenario says the run shows (`shows:`), judged as gates are, without deciding the exit code. */
  shows: ParsedGate[];
  expectedPerProducer: number;
  size: { min: number; max: number };
}

export interface PlanOptions {
  /** file:line:col of a field path in the scenario file (from the loader), for plan-time problems. */
  locate?: (path: (string | number)[]) => string;
  target?: string;
  seed?: number;
  /** A stored run that `baseline * f` gates compare with. */
  hasBaseline?: boolean;
}

export async function planRun(scenario: Scenario, opts: PlanOptions = {}): Promise<RunPlan> {
  const names = Object.keys(scenario.targets);
  const targetName = opts.target ?? (names.length === 1 ? names[0] : undefined);
  if (!targetName) throw new ScenarioError(`the scenario has ${names.length} targets: choose one with --target (${names.join(', ')})`);
  const target = scenario.targets[targetName];
  if (!target) throw new ScenarioError(`no target '${targetName}' in the scenario (it has: ${names.join(', ')})`);

  const capabilities = await capabilitiesOf(target.adapter as AdapterName);
  const problems: string[] = [];
  if (scenario.expect.ordering === 'per-key' && !capabilities.orderedPerKey) {
    problems.push(`expect.ordering: per-key, but target '${targetName}' (${target.adapter}) does not promise order per key`);
  }

  const w = scenario.workload;
  if (target.adapter === 'rabbitmq' && 'exchange' in target && target.exchange === 'default' && w.subscriptions > 1) problems.push(`targets.${targetName}.exchange: RabbitMQ with the default exchange has one queue, but workload.subscriptions is ${w.subscriptions}: use exchange: fanout`);
  // autocannon measures from the actual send: its latency is only honest when intended = sent
  if (scenario.ingress?.engine === 'autocannon' && !(typeof w.rate === 'object' && 'closed' in w.rate))
    problems.push('ingress.engine: autocannon drives a closed loop (connections × pipelining in flight) and measures from the actual send: set workload.rate: { closed: {} }, or use engine undici for an open-loop rate');
  if (w.subscriptions === 0 && scenario.pipeline) problems.push('workload.subscriptions: 0 (publish only) leaves nothing to read the pipeline output: use 1 or more');
  const rate = rateFunction(w.rate, w.duration);
  const targetProxy = 'proxy' in target ? (target.proxy as string | undefined) : undefined;
  const targetCluster = 'cluster' in target ? target.cluster : undefined;
  const faults = planFaults(scenario.faults, { targetProxy, targetCluster, inProcessService: target.adapter === 'memory' ? 'memory' : undefined, warmupMs: w.warmup, durationMs: w.duration });
  problems.push(...faults.problems);
  scenario.faults.forEach((f, i) => {
    if (!f.consumer) return;
    const which = Object.values(f.consumer).find((v) => v !== undefined);
    if (w.subscriptions === 0) problems.push(`faults[${i}].consumer: a publish-only run (workload.subscriptions 0) has no consumers to fault`);
    else if (typeof which === 'number' && which >= w.consumers) problems.push(`faults[${i}].consumer: member ${which} does not exist (workload.consumers is ${w.consumers}: members 0 to ${w.consumers - 1})`);
  });
  const phases: PhaseSpan[] = phasesOf(faults.windows, w.warmup, w.duration);
  const excludedPhases = new Set(w.warmup > 0 ? [0] : []);

  const gates = parseGates(scenario.gates, 'gates', phases, scenario.workload.subscriptions, opts.hasBaseline ?? false, problems);
  // what the scenario shows: every entry checked, those for every target and for this one judged
  parseGates(scenario.shows, 'shows', phases, scenario.workload.subscriptions, opts.hasBaseline ?? false, problems);
  scenario.shows.forEach((s, i) => typeof s !== 'string' && s.target && !(s.target in scenario.targets) && problems.push(`shows[${i}].target: no target '${s.target}' (the scenario has: ${Object.keys(scenario.targets).join(', ')})`));
  const shown = scenario.shows.filter((s) => typeof s === 'string' || !s.target || s.target === targetName);
  const shows = parseGates(shown, 'shows', phases, scenario.workload.subscriptions, opts.hasBaseline ?? false, []);
  const size = typeof w.message.size === 'number' ? { min: w.message.size, max: w.message.size } : w.message.size;
  if (size.min > size.max) problems.push(`workload.message.size: min ${size.min} B is larger than max ${size.max} B`);
  if (problems.length) throw new ScenarioError(`the scenario cannot run as written`, opts.locate ? problems.map((p) => located(p, opts.locate!)) : problems);

  return {
    scenario,
    targetName,
    target,
    capabilities,
    seed: opts.seed ?? scenario.seed,
    rate,
    closedInFlight: typeof w.rate === 'object' && 'closed' in w.rate ? w.rate.closed.inFlight : 0,
    warmupMs: w.warmup,
    durationMs: w.duration,
    phases,
    faults: faults.windows,
    excludedPhases,
    gates,
    shows,
    expectedPerProducer: Math.ceil(expectedEvents(rate, w.warmup, w.duration) / w.producers),
    size,
  };
}

/** The phases a gate's `phase:` names: one by its exact name, or a group (`fault`, `recovery`) by prefix. */
export function phasesNamed<T extends { name: string }>(phases: T[], name: string): T[] {
  const exact = phases.filter((p) => p.name === name);
  return exact.length ? exact : phases.filter((p) => p.name.startsWith(`${name}-`));
}

/** Prefixes a problem that starts with a field path (`faults[1].repeat.every: ...`) with its file:line:col. */
function located(problem: string, locate: (path: (string | number)[]) => string): string {
  const m = problem.match(/^([A-Za-z_$][\w$-]*(?:\[\d+\]|\.[A-Za-z_$][\w$-]*)*)[\s:]/);
  if (!m) return problem;
  const path = [...m[1].matchAll(/[^.[\]]+/g)].map(([part]) => (/^\d+$/.test(part) ? Number(part) : part));
  return `${locate(path)}: ${problem}`;
}

/** Parses gate entries (`gates:` or `shows:`), each problem named by its field path. */
function parseGates(list: readonly (string | { phase?: string; check: string })[], field: string, phases: PhaseSpan[], subscriptions: number, hasBaseline: boolean, problems: string[]): ParsedGate[] {
  const gates: ParsedGate[] = [];
  list.forEach((g, i) => {
    const parsed = typeof g === 'string' ? parseGate(g) : parseGate(g.check, g.phase);
    if (typeof parsed === 'string') problems.push(`${field}[${i}]: ${parsed}`);
    else if (parsed.baselineFactor !== undefined && !hasBaseline) problems.push(`${field}[${i}]: '${parsed.expr}' compares with a baseline: run with --baseline RUN_FOLDER`);
    else if (parsed.phase && phasesNamed(phases, parsed.phase).length === 0) problems.push(`${field}[${i}].phase: no phase '${parsed.phase}' in this run (it has: ${[...new Set(phases.flatMap((p) => [p.name, p.name.replace(/-\d+$/, '')]))].join(', ')})`);
    else if (subscriptions === 0 && needsDeliveries(parsed)) problems.push(`${field}[${i}]: '${parsed.expr}' needs deliveries, but workload.subscriptions is 0 (publish only): gate on attempted, acked, failed, indeterminate, publish.*, scheduleLag.* or throughput.{attempted|acked}`);
    else gates.push(parsed);
  });
  return gates;
}
