// Needs: nothing but Node (the memory adapter). Runs the real CLI as a user would.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runResultSchema, type RunResult } from '../src/result.js';
import { cli } from './helpers/cli.js';

const outDir = () => mkdtempSync(path.join(tmpdir(), 'faultline-cli-'));
const onlyRun = (dir: string) => path.join(dir, readdirSync(dir)[0]);
const readResult = (dir: string): RunResult => runResultSchema.parse(JSON.parse(readFileSync(path.join(onlyRun(dir), 'result.json'), 'utf8')));

describe('faultline CLI', () => {
  it('a broken scenario: exit 2, every problem with file:line:col, no stack trace', async () => {
    const file = path.join(outDir(), 'broken.yaml');
    writeFileSync(file, 'name: broken\ntargets: { m: { adapter: memory, drop: 200% } }\nworkload:\n  rate: 1k/s\n  duratoin: 5s\n');
    const r = await cli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2:40: targets.m.drop: expected a fraction or percentage`);
    expect(r.stderr).toContain(`${file}:5:3: workload: unknown field 'duratoin'`);
    expect(r.stderr).toContain(`${file}:4:3: workload.duration: required`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing file or a bad flag: exit 2 with one line', async () => {
    const r = await cli(['run', 'no/such.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read scenario no\/such\.yaml: no such file/);
    expect((await cli(['run', 'scenarios/quickstart-memory.yaml', '--seed', 'x'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('10 s at 2,000 events/s on the memory adapter: all delivered, nothing lost, 10 intervals', async () => {
    const dir = outDir();
    const r = await cli(['run', 'scenarios/quickstart-memory.yaml', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PASSED/);
    const result = readResult(dir);
    expect(result.counts.attempted).toBeGreaterThanOrEqual(19_900);
    expect(result.counts.delivered).toBe(result.counts.attempted);
    expect(result.counts.lost).toBe(0);
    expect(result.intervals.length).toBeGreaterThanOrEqual(9);
    expect(result.intervals.length).toBeLessThanOrEqual(11);
    const lines = readFileSync(path.join(onlyRun(dir), 'intervals.ndjson'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.length).toBe(result.intervals.length);
    expect(result.seed).toBe(42);
  }, 40_000);

  it('with a 1% drop knob: the lost gate fails (exit 1) and lost equals what the broker dropped', async () => {
    const dir = outDir();
    const r = await cli(['run', 'scenarios/quickstart-memory.yaml', '--out', dir, '--set', 'targets.memory.drop=1%', '--set', 'duration=3s', '--set', 'drain.deadline=1s', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const result = runResultSchema.parse(JSON.parse(r.stdout));
    expect(result.adapterStats.dropped).toBeGreaterThan(0);
    expect(result.counts.lost).toBe(result.adapterStats.dropped);
    expect(result.gates.find((g) => g.expr === 'lost == 0')).toMatchObject({ passed: false, value: result.adapterStats.dropped });
  }, 30_000);

  it('Ctrl-C in the middle of a run: exit 130, status aborted, the counts so far on disk', async () => {
    const dir = outDir();
    const r = await cli(['run', 'scenarios/quickstart-memory.yaml', '--out', dir], { signalAfterSeconds: { seconds: 2, out: dir } });
    expect(r.code, r.stderr).toBe(130);
    const result = readResult(dir);
    expect(result.status).toBe('aborted');
    expect(result.counts.attempted).toBeGreaterThan(1000);
    expect(result.counts.attempted).toBeLessThan(19_000);
  }, 30_000);

  it('validate runs the plan: bad gates, overlapping faults and a fault past the load, each at file:line:col (exit 2)', async () => {
    const file = path.join(outDir(), 'plan.yaml');
    writeFileSync(file, 'name: plan\ntargets: { m: { adapter: memory } }\nworkload: { rate: 100/s, duration: 5s }\nfaults:\n  - { at: 1s, for: 2s, pause: redis }\n  - { at: 2s, for: 2s, pause: redis }\n  - { at: 4s, for: 3s, pause: redis }\ngates:\n  - lsot == 0\n  - e2e.p99 < banana\n');
    const r = await cli(['validate', file, 'scenarios/quickstart-memory.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('ok scenarios/quickstart-memory.yaml\n');
    expect(r.stderr).toContain(`${file}:9:5: gates[0]: unknown metric 'lsot'`);
    expect(r.stderr).toContain(`${file}:10:5: gates[1]: 'e2e.p99' compares with a duration`);
    expect(r.stderr).toContain(`${file}:6:5: faults[1]: fault-2 starts before fault-1 ends`);
    expect(r.stderr).toContain(`${file}:7:5: faults[2]: fault-3 (pause) ends at 7000 ms, after the load`);
  });

  it('no vacuous verdicts: gates over no deliveries are unknown (exit 1); exactly-once effects fail a run without a gate', async () => {
    const dir = outDir();
    const file = path.join(dir, 'drop.yaml');
    writeFileSync(file, 'name: drop-all\ntargets: { m: { adapter: memory, drop: 1 } }\nworkload: { rate: 200/s, duration: 2s }\ndrain: { quiet: 200ms, deadline: 1s }\ngates: ["e2e.p99 < 100ms", "e2e.max < 1ms"]\n');
    const r = await cli(['run', file, '--out', dir, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const result = runResultSchema.parse(JSON.parse(r.stdout));
    expect(result.counts.lost).toBe(400);
    expect(result.gates.map((g) => [g.verdict, g.error])).toEqual([
      ['unknown', 'no data: e2e.p99: no deliveries'],
      ['unknown', 'no data: e2e.max: no deliveries'],
    ]);
    const dup = path.join(dir, 'dup.yaml');
    writeFileSync(dup, 'name: dup\ntargets: { m: { adapter: memory, duplicate: 20% } }\nworkload: { rate: 200/s, duration: 1s }\ndrain: { quiet: 200ms, deadline: 1s }\nexpect: { effects: exactly-once }\n');
    const d = await cli(['run', dup, '--out', dir, '--json']);
    expect(d.code, d.stderr).toBe(1);
    const dr = runResultSchema.parse(JSON.parse(d.stdout));
    expect(dr.gates).toEqual([]);
    expect(dr.counts.idempotencyViolations).toBe(dr.adapterStats.duplicated);
    expect(dr.verdicts?.effects).toMatchObject({ valid: false, why: expect.stringMatching(/exactly-once/) });
  }, 30_000);

  it('compare runs each target and writes one page; report --format omb writes OMB result JSON from a run folder', async () => {
    const out = outDir();
    const file = path.join(out, 'two.yaml');
    writeFileSync(file, 'name: two\ntargets:\n  a: { adapter: memory }\n  b: { adapter: memory, delay: 20ms }\nworkload: { rate: 300/s, duration: 2s }\ndrain: { quiet: 200ms }\ngates: ["e2e.p50 < 10ms"]\n');
    const r = await cli(['compare', file, '--out', out, '-q']);
    expect(r.code, r.stderr).toBe(1); // b's 20 ms delay fails its gate
    expect(r.stdout).toMatch(/^a\s+passed/m);
    expect(r.stdout).toMatch(/^b\s+failed/m);
    const page = r.stdout.match(/comparison page: (.+)$/m)![1];
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('Comparison: a · b');
    const runDir = path.join(
      path.dirname(page),
      readdirSync(path.dirname(page)).find((d) => d.startsWith('two-'))!,
    );
    const omb = await cli(['report', runDir, '--format', 'omb']);
    expect(omb.code, omb.stderr).toBe(0);
    const json = JSON.parse(readFileSync(path.join(runDir, 'omb.json'), 'utf8'));
    const result = runResultSchema.parse(JSON.parse(readFileSync(path.join(runDir, 'result.json'), 'utf8')));
    expect(json).toMatchObject({ driver: 'memory', producersPerTopic: 1 });
    expect(json.publishRate).toEqual(result.intervals.map((iv) => iv.acked));
  }, 30_000);

  it('capacity finds a memory broker’s known ceiling (maxRate 4k/s) within 10% and writes capacity.json', async () => {
    const out = outDir();
    const file = path.join(out, 'cap.yaml');
    writeFileSync(file, `name: cap\ntargets: { m: { adapter: memory, maxRate: 4k/s } }\nworkload: { rate: 1k/s, duration: 1s }\nreport: { out: ${JSON.stringify(out)} }\n`);
    const r = await cli(['capacity', file, '--p99', '100ms', '--step', '700ms', '--hold', '1500ms', '--start', '1k/s', '--max', '16k/s']);
    expect(r.code, r.stderr).toBe(0);
    const rate = Number(r.stdout.match(/capacity: (\d+)\/s/)![1]);
    expect(rate).toBeGreaterThanOrEqual(3600);
    expect(rate).toBeLessThanOrEqual(4400);
    const dir = path.join(
      out,
      readdirSync(out).find((d) => d.startsWith('capacity-cap'))!,
    );
    expect(JSON.parse(readFileSync(path.join(dir, 'capacity.json'), 'utf8'))).toMatchObject({ scenario: 'cap', rate });
  }, 60_000);

  it('schema prints the scenario and result JSON Schemas; adapters lists capabilities', async () => {
    const s = JSON.parse((await cli(['schema'])).stdout);
    expect(s.properties.workload.properties).toHaveProperty('rate');
    const r = JSON.parse((await cli(['schema', '--result'])).stdout);
    expect(r.properties).toHaveProperty('counts');
    expect((await cli(['adapters'])).stdout).toMatch(/^memory\s+ordered per key: yes/m);
  });
});
