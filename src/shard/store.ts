// The store shards meet through: a directory every shard can write (a temp dir locally, a
// ReadWriteMany volume on Kubernetes). Files appear atomically (written, then renamed); no shard
// talks to another, and there is no coordinator service.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../errors.js';

export interface Identity {
  runId: string;
  /** How many shards the run has. */
  count?: number;
  /** Suffix of the topic/queue/stream names every shard uses. */
  unique: string;
}

export interface Progress {
  acked: number;
  /** Distinct events delivered per subscription on this shard. */
  distinct: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ShardStore {
  constructor(
    readonly root: string,
    readonly index: number,
    readonly count: number,
    /** How long a shard waits for the others at each barrier. */
    readonly deadlineMs = 60_000,
  ) {
    mkdirSync(this.dir, { recursive: true });
  }

  /** This shard's folder: its history, intervals and (shard 0) nemesis state. */
  get dir(): string {
    return path.join(this.root, `shard-${this.index}`);
  }

  static shardDir(root: string, index: number): string {
    return path.join(root, `shard-${index}`);
  }

  private put(name: string, value: unknown): void {
    const file = path.join(this.root, name);
    writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(value));
    renameSync(`${file}.${process.pid}.tmp`, file);
  }

  private get<T>(name: string): T | null {
    const file = path.join(this.root, name);
    if (!existsSync(file)) return null;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch {
      return null;
    }
  }

  private missing(prefix: string): number[] {
    return Array.from({ length: this.count }, (_, i) => i).filter((i) => !existsSync(path.join(this.root, `${prefix}-${i}`)));
  }

  /** Shard 0, once the topology exists: the run's id and resource names for every shard. */
  publishIdentity(id: Identity): void {
    this.put('run.json', { ...id, count: this.count });
  }

  /** The other shards: wait for shard 0's identity (it sets the topology up first). */
  async awaitIdentity(): Promise<Identity> {
    const t0 = Date.now();
    for (;;) {
      const id = this.get<Identity>('run.json');
      if (id) return id;
      if (Date.now() - t0 > this.deadlineMs) throw new EnvironmentError(`shard ${this.index}: shard 0 did not publish the run (${path.join(this.root, 'run.json')}) within ${this.deadlineMs / 1000} s`, 'start every shard against the same store; shard 0 sets the topology up first');
      await sleep(100);
    }
  }

  /**
   * The start barrier: writes ready-i, and resolves with the start time (wall clock, ms) shard 0 writes
   * once every shard is ready. A shard that misses it sends nothing and names the shards missing.
   */
  async start(): Promise<number> {
    this.put(`ready-${this.index}`, { pid: process.pid, at: Date.now() });
    const t0 = Date.now();
    for (;;) {
      const start = this.get<{ startAt: number }>('start.json');
      if (start) return start.startAt;
      const missing = this.missing('ready');
      if (this.index === 0 && missing.length === 0) {
        this.put('start.json', { startAt: Date.now() + 2000 });
        continue;
      }
      if (Date.now() - t0 > this.deadlineMs) throw new EnvironmentError(`shard ${this.index}: shards ${missing.join(', ')} of ${this.count} were not ready within ${this.deadlineMs / 1000} s; nothing was sent`, 'start all shards at about the same time, against the same store');
      await sleep(50);
    }
  }

  /**
   * This process' wall clock against the store's (the file server stamps what it writes): shards on
   * different machines differ by the difference of their offsets, which the merge reports as the skew.
   */
  clockOffset(): number {
    const file = path.join(this.root, `clock-${this.index}`);
    const before = Date.now();
    writeFileSync(file, String(before));
    const after = Date.now();
    return (before + after) / 2 - statSync(file).mtimeMs;
  }

  /** What this shard has acknowledged and delivered so far (the drain of every shard reads them all). */
  report(p: Progress): void {
    this.put(`progress-${this.index}.json`, p);
  }

  /** Every subscription has received, across shards, as many distinct events as all shards acknowledged. */
  caughtUp(subscriptions: number): boolean {
    let acked = 0;
    const distinct = new Array<number>(subscriptions).fill(0);
    for (let i = 0; i < this.count; i++) {
      const p = this.get<Progress>(`progress-${i}.json`);
      if (!p) return false;
      acked += p.acked;
      p.distinct.forEach((d, s) => (distinct[s] += d));
    }
    return distinct.every((d) => d >= acked);
  }

  /** Writes done-i and waits (up to the deadline) until every shard is done, so no one tears the topology down under another. */
  async finish(deadlineMs = this.deadlineMs): Promise<number[]> {
    this.put(`done-${this.index}`, { at: Date.now() });
    const t0 = Date.now();
    for (;;) {
      const missing = this.missing('done');
      if (missing.length === 0 || Date.now() - t0 > deadlineMs) return missing;
      await sleep(100);
    }
  }
}
