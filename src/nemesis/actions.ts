// What each fault kind does, and the steps that undo it. A step is recorded before its action runs,
// so a run killed mid-fault leaves on disk everything `faultline heal` needs.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FaultWindow } from './plan.js';
import { isToxic } from './plan.js';
import type { ToxicKind } from './schema.js';
import type { Stream, Toxiproxy } from './toxiproxy.js';

const run = promisify(execFile);
const SERVICES_SH = fileURLToPath(new URL('../../scripts/services.sh', import.meta.url));

export type HealStep =
  | { kind: 'toxic'; proxy: string; toxic: string }
  | { kind: 'proxy'; proxy: string }
  | { kind: 'resume'; service: string }
  | { kind: 'start'; service: string }
  | { kind: 'exec'; command: string };

export interface ActionContext {
  tp: Toxiproxy;
  /** Unique per run, so two runs' toxics never collide. */
  prefix: string;
  /** Called with each undo step before the action it undoes. */
  record: (step: HealStep) => void;
}

export async function shell(command: string, timeoutMs = 120_000): Promise<void> {
  try {
    await run('bash', ['-c', command], { timeout: timeoutMs });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`'${command}' failed: ${(e.stderr || e.message).trim().split('\n').pop()}`);
  }
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

/** Applies one fault window. Undo steps are recorded first; the caller heals them. */
export async function applyFault(w: FaultWindow, ctx: ActionContext): Promise<void> {
  const f = w.spec;
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
export async function healStep(step: HealStep, tp: Toxiproxy): Promise<void> {
  switch (step.kind) {
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
  }
}

export const describeStep = (s: HealStep): string =>
  s.kind === 'toxic' ? `remove toxic ${s.toxic} from ${s.proxy}` : s.kind === 'proxy' ? `re-enable proxy ${s.proxy}` : s.kind === 'exec' ? `run '${s.command}'` : `${s.kind} ${s.service}`;
