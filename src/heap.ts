// A load generator allocates a short-lived object or two per event; with V8's default 16 MB young
// generation semi-spaces, scavenges ran often enough to be a quarter of the CPU at 150k events/s.
// 64 MB semi-spaces measured +10% closed-loop throughput on Redis and NATS (docs/benchmarks.md), for
// up to ~150 MB more RSS (a fixed cost, not per event). The CLI and the benches call this; a library
// user's process is left alone. An explicit --max-semi-space-size (flag or NODE_OPTIONS) wins.
import v8 from 'node:v8';

export function tuneHeapForLoad(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('semi-space'));
  if (!given) v8.setFlagsFromString('--max-semi-space-size=64');
}
