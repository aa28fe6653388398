// Needs: nothing but Node (the memory adapter). `faultline check` judges a stored run again from its
// observation history and must reproduce what the live run wrote; a run killed with -9 is still judged.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runResultSchema, type RunResult } from '../src/result.js';
import { cli } from './helpers/cli.js';

const read = (dir: string): RunResult => runResultSchema.parse(JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')));
/** What a re-check must reproduce: every count, verdict, gate, latency figure, phase and series. */
const judged = (r: RunResult) => ({
  status: r.status,
  verdict: r.verdict,
  verdicts: r.verdicts,
  counts: r.counts,
  finalRead: r.finalRead,
  lostSplit: r.lostSplit,
  subscriptions: r.subscriptions,
  unknown: r.unknown,
  gates: r.gates,
  latency: r.latency,
  throughput: r.throughput,
  phases: r.phases,
  recovery: r.recovery,
  intervals: r.intervals,
  samples: r.samples,
  histograms: r.histograms,
});

describe('faultline check', () => {
  it('re-judges a faulty memory run (every knob, two subscriptions) to the same result, and with other gates', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-check-'));
    const file = path.join(out, 'knobs.yaml');
    writeFileSync(
      file,
      `name: knobs
seed: 5
targets:
  m: { adapter: memory, partitions: 3, drop: 1%, duplicate: 2%, reorder: 1%, failAcks: 1%, lostAcks: 2%, delay: 2ms, maxRate: 5k/s }
workload: { producers: 2, consumers: 2, subscriptions: 2, rate: 2k/s, duration: 3s, warmup: 500ms, message: { keys: { count: 10 } } }
drain: { quiet: 300ms, deadline: 2s }
expect: { ordering: per-key, effects: exactly-once }
gates: [ "lost <= 1%", "e2e.p99 < 1s", { phase: baseline, check: "throughput.delivered > 100/s" } ]
`,
    );
    const r = await cli(['run', file, '--out', out, '-q']);
    expect(r.code, r.stderr).toBe(1);
    const dir = path.join(
      out,
      readdirSync(out).find((d) => d.startsWith('knobs-'))!,
    );
    const live = read(dir);
    // the knobs were exercised, and the checkers saw exactly what the broker injected
    expect(live.counts.lost).toBe(live.adapterStats.dropped);
    expect(live.counts.failed).toBe(live.adapterStats.failedAcks);
    expect(live.counts.duplicateDeliveries).toBe(live.adapterStats.duplicated);
    expect(live.counts.reordered).toBe(live.adapterStats.reordered);
    expect(live.subscriptions).toHaveLength(2);
    expect(live.verdicts).toMatchObject({ delivery: { valid: false }, order: { valid: false }, effects: { valid: false } });

    rmSync(path.join(dir, 'result.json'));
    const again = await cli(['check', dir]);
    expect(again.code, again.stderr).toBe(1);
    expect(judged(read(dir))).toEqual(judged(live));

    const lenient = await cli(['check', dir, '--set', 'expect={}', '--set', 'gates=["duplicated >= 1"]', '--json']);
    const relaxed = runResultSchema.parse(JSON.parse(lenient.stdout));
    expect(relaxed.counts).toEqual(live.counts);
    expect(relaxed.gates).toMatchObject([{ expr: 'duplicated >= 1', passed: true }]);
    expect(relaxed.verdicts).toMatchObject({ order: { valid: true }, effects: { valid: true }, delivery: { valid: false } });
  }, 60_000);

  it('re-judges what positions and the final read show (skips, read gaps, writes twice, reorders) to the same counts, from observations.bin alone', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-check-'));
    const file = path.join(out, 'positions.yaml');
    writeFileSync(
      file,
      `name: positions
seed: 9
targets:
  m: { adapter: memory, partitions: 3, skip: 2%, duplicateWrites: 1%, reorder: 1% }
workload: { producers: 2, consumers: 2, subscriptions: 2, rate: 2k/s, duration: 2s, warmup: 0s, message: { keys: { count: 10 } } }
drain: { quiet: 300ms, deadline: 2s }
`,
    );
    const r = await cli(['run', file, '--out', out, '-q']);
    expect(r.code, r.stderr).toBe(1);
    const dir = path.join(
      out,
      readdirSync(out).find((d) => d.startsWith('positions-'))!,
    );
    const live = read(dir);
    const stats = live.adapterStats;
    expect(live.counts).toMatchObject({ readGaps: stats.skippedBetweenReads, duplicateWrites: stats.duplicateWrites, nonmonotonic: stats.backwards, lost: 0 });
    expect(live.counts.readGaps).toBeGreaterThan(10);
    // skipped ones are unseen, all below their group's commit (a skip whose second copy was delivered is not)
    expect(live.counts.unseen).toBeGreaterThan(10);
    expect(live.counts.skipped).toBe(live.counts.unseen);
    rmSync(path.join(dir, 'result.json'));
    const again = await cli(['check', dir]);
    expect(again.code, again.stderr).toBe(1);
    expect(judged(read(dir))).toEqual(judged(live));
    rmSync(out, { recursive: true, force: true });
  }, 60_000);

  it('a run killed with -9 leaves a history that report judges as aborted', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-kill-'));
    const r = await cli(['run', 'scenarios/quickstart-memory.yaml', '--out', out, '-q'], { signalAfterSeconds: { seconds: 2, out }, signal: 'SIGKILL' });
    expect(r.signal).toBe('SIGKILL');
    const dir = path.join(out, readdirSync(out)[0]);
    expect(existsSync(path.join(dir, 'result.json'))).toBe(false);
    const rep = await cli(['report', dir]);
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stdout).toMatch(/status aborted/);
    const result = read(dir);
    expect(result.status).toBe('aborted');
    // about 2,000 events/s for the two seconds of load flushed before the kill: both are on disk
    expect(result.counts.attempted).toBeGreaterThan(1000);
    expect(result.counts.attempted).toBeLessThan(12_000);
    expect(result.intervals.length).toBeGreaterThanOrEqual(1);
    expect(existsSync(path.join(dir, 'report.html'))).toBe(true);
  }, 30_000);

  it('a run killed with -9 mid-run is judged right: dead letters, the fault and its window, the lag samples, aborted, nothing called lost', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-kill9-'));
    const file = path.join(out, 'poisoned.yaml');
    writeFileSync(
      file,
      `name: poisoned
seed: 11
targets:
  m: { adapter: memory, partitions: 2 }
workload: { producers: 1, consumers: 2, rate: 400/s, duration: 30s }
consumer:
  poison: { fraction: 1%, attempts: 1, backoff: 1ms, then: dead-letter }
faults:
  - { at: 2s, for: 2s, consumer: { pause: all } }
`,
    );
    // killed 6 s into the load: the fault (2 s to 4 s) applied and healed, lag sampled every second
    const r = await cli(['run', file, '--out', out, '-q'], { signalAfterSeconds: { seconds: 6, out }, signal: 'SIGKILL' });
    expect(r.signal).toBe('SIGKILL');
    const dir = path.join(
      out,
      readdirSync(out).find((d) => d.startsWith('poisoned-'))!,
    );
    expect(existsSync(path.join(dir, 'result.json'))).toBe(false);
    const again = await cli(['check', dir, '--json']);
    // an aborted run exits as an interrupted one does
    expect(again.code, again.stderr).toBe(130);
    const result = runResultSchema.parse(JSON.parse(again.stdout));
    expect(result.status).toBe('aborted');
    // every dead letter seen before the kill is dead-lettered, none is lost; what was still on its way is pending
    expect(result.counts.deadLettered).toBeGreaterThan(5);
    expect(result.counts.lost).toBe(0);
    expect(result.verdicts?.delivery.valid).toBe(result.counts.pending ? 'unknown' : true);
    // the fault, applied and healed before the kill, with its window (2 s to 4 s, as the nemesis saw it)
    expect(result.faults).toHaveLength(1);
    expect(result.faults[0]).toMatchObject({ kind: 'consumer', applied: true, healed: true });
    expect(result.faults[0].startMs).toBeGreaterThanOrEqual(1900);
    expect(result.faults[0].endMs).toBeGreaterThanOrEqual(3900);
    expect(result.faults[0].endMs).toBeLessThan(6000);
    // a lag sample a second until the kill (the load started a moment after the process)
    expect(result.lag?.samples.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...result.lag!.samples.map((s) => s.value))).toBeGreaterThan(100);
    rmSync(out, { recursive: true, force: true });
  }, 40_000);
});
