// `faultline merge`: the shards' histories joined and judged as one run, written as one run folder.
// A shard that is missing or did not finish makes the merged result `error`, naming it.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ScenarioError } from '../errors.js';
import { HistoryFile, OBSERVATIONS_FILE } from '../observe/history.js';
import { runNotes } from '../observe/notes.js';
import { initHistograms } from '../observe/histograms.js';
import { planRun } from '../plan/plan.js';
import { writeReports } from '../report/write.js';
import { buildResult, type RunEnd } from '../result-builder.js';
import type { RunResult } from '../result.js';
import { worstStatus } from '../check/verdict.js';
import { parseScenario } from '../scenario/load.js';
import { JoinedHistory } from './joined-history.js';
import { ShardStore, type Identity } from './store.js';

export interface MergeOptions {
  /** The run folder to write (result.json and reports); default: no files. */
  out?: string;
  /** Shards expected (default: run.json's count, else the shard folders found). */
  count?: number;
  set?: string[];
  /** Wait up to this long (ms) for every shard to finish (the merge Job starts with the shards). */
  waitMs?: number;
}

/** Resolves once every shard's history holds its end, or the time is up (the merge then names who is missing). */
export async function waitForShards(store: string, count: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  const finished = (i: number) => {
    const file = path.join(ShardStore.shardDir(store, i), OBSERVATIONS_FILE);
    try {
      return existsSync(file) && runNotes(new HistoryFile(file)).end !== undefined;
    } catch {
      return false;
    }
  };
  while (Date.now() < deadline) {
    if (Array.from({ length: count }, (_, i) => i).every(finished)) return;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

export async function mergeShards(store: string, opts: MergeOptions = {}): Promise<RunResult> {
  if (opts.waitMs && opts.count) await waitForShards(store, opts.count, opts.waitMs);
  if (!existsSync(store)) throw new ScenarioError(`no shard store at ${store}`);
  const id = existsSync(path.join(store, 'run.json')) ? (JSON.parse(readFileSync(path.join(store, 'run.json'), 'utf8')) as Identity) : null;
  const found = readdirSync(store).flatMap((d) => (/^shard-\d+$/.test(d) ? [Number(d.slice(6))] : []));
  const count = opts.count ?? id?.count ?? (found.length ? Math.max(...found) + 1 : 0);
  if (count === 0) throw new ScenarioError(`${store} holds no shard (shard-0/, shard-1/, ...): is it a faultline shard store?`);
  const parts: HistoryFile[] = [];
  const ends: (RunEnd | null)[] = [];
  const problems: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(ShardStore.shardDir(store, i), OBSERVATIONS_FILE);
    if (!existsSync(file)) {
      problems.push(`shard ${i}: no history (${file}): it never started, or died before its setup`);
      ends.push(null);
      continue;
    }
    const h = new HistoryFile(file);
    const end = runNotes(h).end;
    if (!end) problems.push(`shard ${i}: its history ends without the run's end (killed?): judged up to its last complete block`);
    else if (end.status === 'error') problems.push(`shard ${i}: ${end.error ?? 'error'}`);
    parts.push(h);
    ends.push(end ?? null);
  }
  if (parts.length === 0) throw new ScenarioError(`${store}: no shard left a history`);
  const history = new JoinedHistory(parts);
  const { scenario } = parseScenario(JSON.stringify(history.meta.scenario), parts[0].file, { set: opts.set ?? [] });
  const plan = await planRun(scenario, { target: history.meta.targetName, seed: history.meta.seed });
  await initHistograms();
  const known = ends.filter((e): e is RunEnd => e !== null);
  const adapterStats: Record<string, number> = {};
  for (const e of known) for (const [k, v] of Object.entries(e.adapterStats)) adapterStats[k] = (adapterStats[k] ?? 0) + v;
  const worst = worstStatus(known.map((e) => e.status));
  const skew = Math.max(0, ...known.map((e) => Math.abs((e.shard?.clockOffsetMs ?? 0) - (known[0].shard?.clockOffsetMs ?? 0))));
  const end: RunEnd = {
    status: problems.length ? 'error' : worst,
    // A shard that hit a bug in faultline makes the merged run one too (exit 4); anything else missing is the environment's (exit 3).
    ...(problems.length ? { error: problems.join('; '), errorCode: known.some((e) => e.errorCode === 'INTERNAL') ? 'INTERNAL' : 'ENVIRONMENT' } : known.find((e) => e.error) ? { error: known.find((e) => e.error)!.error } : {}),
    startedAt: known.map((e) => e.startedAt).sort()[0] ?? history.meta.startedAt,
    endedAt:
      known
        .map((e) => e.endedAt)
        .sort()
        .at(-1) ?? new Date(statSync(parts[0].file).mtime).toISOString(),
    adapterStats,
    ...(known[0]?.environment ? { environment: known[0].environment } : {}),
    shard: { index: -1, count, clockOffsetMs: skew },
  };
  const bytes = parts.reduce((n, p) => n + statSync(p.file).size, 0);
  const result = buildResult({ plan, history, end, historyBytes: bytes });
  const merged = { ...result, shards: { count, clockSkewMs: Math.round(skew * 1000) / 1000 } } as RunResult;
  if (opts.out) {
    mkdirSync(opts.out, { recursive: true });
    writeFileSync(path.join(opts.out, 'result.json'), JSON.stringify(merged, null, 2));
    await writeReports(opts.out, merged);
  }
  return merged;
}
