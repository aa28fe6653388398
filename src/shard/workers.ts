// `faultline run --workers N`: N worker processes on this machine, each a shard of the run (its own V8
// heap and event loop), meeting through a store inside the run folder; this process only supervises,
// heals what a dead worker left, and merges.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { healRunFolder } from '../nemesis/heal.js';
import type { RunResult } from '../result.js';
import { mergeShards } from './merge.js';
import { ShardStore } from './store.js';

export interface WorkersOptions {
  workers: number;
  /** The run folder; the store is its `shards/` folder. */
  dir: string;
  /** Arguments every worker gets after `shard FILE` (--set, --target, --seed). */
  args: string[];
  signal?: AbortSignal;
  onWorkerExit?: (index: number, code: number | null, signal: NodeJS.Signals | null) => void;
}

const BIN = fileURLToPath(new URL('../../bin/faultline.js', import.meta.url));

export async function runWorkers(file: string, opts: WorkersOptions): Promise<{ result: RunResult; failed: number[] }> {
  const store = path.join(opts.dir, 'shards');
  const exits = await Promise.all(
    Array.from({ length: opts.workers }, (_, index) => {
      const child = spawn(process.execPath, [BIN, 'shard', file, '--index', String(index), '--count', String(opts.workers), '--store', store, ...opts.args], { stdio: ['ignore', 'ignore', 'inherit'] });
      const stop = () => child.kill('SIGINT');
      opts.signal?.addEventListener('abort', stop, { once: true });
      return new Promise<{ index: number; code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => {
          opts.signal?.removeEventListener('abort', stop);
          opts.onWorkerExit?.(index, code, signal);
          resolve({ index, code, signal });
        }),
      );
    }),
  );
  const failed = exits.filter((e) => e.code !== 0 || e.signal).map((e) => e.index);
  // Shard 0 ran the nemesis: if it died, undo what its state file says is still applied.
  const shard0 = ShardStore.shardDir(store, 0);
  if (failed.includes(0) && existsSync(shard0)) await healRunFolder(shard0).catch(() => undefined);
  const result = await mergeShards(store, { count: opts.workers, out: opts.dir });
  return { result, failed };
}
