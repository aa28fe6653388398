// A fault schedule: the faults of one explored run and its load multiplier, in the terms the shrinker
// works in (kind, target, start, length), and as the scenario's own `faults:` entries, which is what
// each run's file holds: the file, not the seed, is what replays a run across versions.
export interface Fault {
  kind: 'kill' | 'pause' | 'restart' | 'partition' | 'latency' | 'timeout' | 'reset_peer' | 'down' | 'consumer';
  /** A node selector or service (process faults, partitions), a member index or `all` (consumer faults), or '' (toxics). */
  target: string;
  /** For partitions: blackhole or prohibit; for consumer faults: pause, stall, kill or slow. */
  mode?: string;
  /** ms from the end of the warmup. */
  at: number;
  /** ms; 0 for a restart. */
  length: number;
}

export interface Schedule {
  faults: Fault[];
  /** The load multiplier (1: the scenario's rate). */
  rate: number;
}

const ms = (n: number) => `${Math.round(n)}ms`;

/** The scenario `faults:` entry of one fault. */
export function faultSpec(f: Fault): Record<string, unknown> {
  const when = f.kind === 'restart' ? { at: ms(f.at) } : { at: ms(f.at), for: ms(f.length) };
  switch (f.kind) {
    case 'kill':
    case 'pause':
    case 'restart':
      return { ...when, [f.kind]: f.target };
    case 'partition':
      return { ...when, partition: { isolate: f.target, mode: f.mode ?? 'blackhole' } };
    case 'consumer': {
      const action = f.mode ?? 'pause';
      const member = f.target === 'all' ? 'all' : Number(f.target);
      return { ...when, consumer: action === 'slow' ? { slow: member, delay: '20ms' } : { [action]: member } };
    }
    case 'latency':
      return { ...when, latency: { latency: '500ms' } };
    case 'timeout':
      return { ...when, timeout: { timeout: 0 } };
    case 'reset_peer':
      return { ...when, reset_peer: {} };
    case 'down':
      return { ...when, down: true };
  }
}

/** One line per fault, for the console and the page: "kill memory 1.20–1.50 s". */
export function describeFault(f: Fault): string {
  const what = f.kind === 'partition' ? `isolate ${f.target} (${f.mode ?? 'blackhole'})` : f.kind === 'consumer' ? `consumer ${f.mode ?? 'pause'} ${f.target === 'all' ? 'all' : `m${f.target}`}` : f.target ? `${f.kind} ${f.target}` : f.kind;
  const s = (n: number) => (n / 1000).toFixed(2);
  return f.kind === 'restart' ? `${what} at ${s(f.at)} s` : `${what} ${s(f.at)}–${s(f.at + f.length)} s`;
}

export function describeSchedule(s: Schedule): string {
  const faults = s.faults.length ? s.faults.map(describeFault).join('; ') : 'no faults (control)';
  return s.rate === 1 ? faults : `${faults}; load ×${s.rate.toFixed(2)}`;
}

/** Sorted by start, as the run's planner numbers them. */
export const sortFaults = (faults: Fault[]): Fault[] => [...faults].sort((a, b) => a.at - b.at);
