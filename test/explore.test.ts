// Needs: nothing running (the in-process memory broker). `faultline explore` as a user runs it: random
// schedules of mixed faults against a memory broker without persistence and a lagging consumer, the
// loss found and shrunk to the one fault that causes it, which `faultline run` then replays.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { ExploreState } from '../src/explore/state.js';
import type { RunResult } from '../src/result.js';
import { outcomeOf } from '../src/explore/signature.js';
import { cli } from './helpers/cli.js';

describe('faultline explore', () => {
  it('finds the loss in schedules of mixed faults, shrinks it to a single kill of the broker while events are unread, and the minimal file replays it; --resume goes on where it stopped', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-explore-'));
    const t0 = Date.now();
    const ran = await cli(['explore', 'scenarios/explore-memory.yaml', '--runs', '3', '--out', out, '--json']);
    const seconds = (Date.now() - t0) / 1000;
    expect(ran.code, ran.stderr).toBe(1);
    const state = JSON.parse(ran.stdout) as ExploreState;
    const dir = path.join(out, readdirSync(out)[0]);
    console.log(`explore: ${state.runs.length} runs in ${(state.elapsedMs / 1000).toFixed(1)} s (the command ${seconds.toFixed(1)} s); ${state.findings.map((f) => `${f.signature}: ${f.status}, shrink runs ${f.shrinkRuns}, confirmed ${f.confirmed?.failed} of ${f.confirmed?.runs}`).join('; ')}`);
    // the exploration itself (explore.json's elapsed time, every run and the shrinking) within a minute
    expect(state.elapsedMs).toBeLessThan(60_000);
    // the schedules explored were of several faults, not all of one kind
    const explored = state.runs.filter((r) => r.purpose === 'explore');
    expect(explored.length).toBeGreaterThan(0);
    expect(Math.max(...explored.map((r) => r.schedule.faults.length))).toBeGreaterThanOrEqual(2);
    expect(new Set(explored.flatMap((r) => r.schedule.faults.map((f) => f.kind + f.target))).size).toBeGreaterThanOrEqual(2);
    // one finding, shrunk to one kill of the broker, that failed again
    const [finding] = state.findings;
    expect(finding).toMatchObject({ signature: 'delivery:lost + gate:lost', background: false, status: 'shrunk', minimalFile: 'minimal.yaml' });
    expect(finding.minimal!.faults).toEqual([expect.objectContaining({ kind: 'kill', target: 'memory' })]);
    expect(finding.confirmed!.failed).toBeGreaterThan(0);
    // on disk: the original, the minimal schedule, the page, and every run's file and folder
    for (const f of ['original.yaml', 'minimal.yaml', 'explore.json', 'explore.html']) expect(existsSync(path.join(dir, f)), f).toBe(true);
    for (const r of state.runs) {
      expect(existsSync(path.join(dir, r.file))).toBe(true);
      expect(existsSync(path.join(dir, r.dir!, 'result.json'))).toBe(true);
    }
    expect(parse(readFileSync(path.join(dir, 'minimal.yaml'), 'utf8')).faults).toEqual([{ at: expect.stringMatching(/ms$/), for: expect.stringMatching(/ms$/), kill: 'memory' }]);
    expect(readFileSync(path.join(dir, 'explore.html'), 'utf8')).toContain('Minimal schedule');

    // faultline run replays the minimal schedule: it fails with the same signature
    const replay = await cli(['run', path.join(dir, 'minimal.yaml'), '--out', out, '--json']);
    expect(replay.code).toBe(1);
    expect(outcomeOf(JSON.parse(replay.stdout) as RunResult)).toEqual({ kind: 'failed', signature: finding.signature });

    // resumed with one more run asked and a budget a second over what was spent: the earlier runs kept,
    // one exploration run added, the finding not shrunk again, and the stop by the budget on record
    const budget = `${Math.ceil(state.elapsedMs / 1000) + 1}s`;
    const resumed = await cli(['explore', '--resume', dir, '--runs', '4', '--budget', budget, '--json']);
    const again = JSON.parse(resumed.stdout) as ExploreState;
    expect(again.runs.slice(0, state.runs.length)).toEqual(state.runs);
    expect(again.runs.filter((r) => r.purpose === 'explore' || r.purpose === 'control')).toHaveLength(4);
    expect(again.runs).toHaveLength(state.runs.length + 1);
    expect(again.findings[0].shrinkPath).toEqual(finding.shrinkPath);
    expect(again.done).toBe(false);
  }, 120_000);

  it('bad input exits 2 and names it', async () => {
    const runs = await cli(['explore', 'scenarios/explore-memory.yaml', '--runs', '0']);
    expect(runs.code).toBe(2);
    expect(runs.stderr).toMatch(/--runs expects a whole number/);
    const target = await cli(['explore', 'scenarios/explore-memory.yaml', '--target', 'nope']);
    expect(target.code).toBe(2);
    expect(target.stderr).toMatch(/no such target/);
  });
});
