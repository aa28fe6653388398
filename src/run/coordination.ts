// How a run meets the other processes of the same run: a local run meets no one; a shard owns a
// slice of the producers and members and meets the others through the store (identity, the start
// barrier, drain progress, the finish). The steps ask this interface and never which one it is.
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock.js';
import type { RunEnd } from '../observe/notes.js';
import type { Recorder } from '../observe/recorder.js';
import type { Identity, ShardStore } from '../shard/store.js';
import { utcStamp } from '../timestamp.js';

/** Where a run keeps its files: its id, and its folder (null: written nowhere). */
export interface Folder {
  runId: string;
  dir: string | null;
}

export interface Coordination {
  /** For the adapters (a shard holds only some members of each group); undefined for a local run. */
  readonly shard: { index: number; count: number } | undefined;
  /** Whether producer or member `n` runs in this process (the nemesis and the lag sampler go with 0). */
  owns(n: number): boolean;
  /** The run's identity: this process' own, or the one shard 0 published. */
  identity(mine: Identity): Promise<Identity>;
  /** The run's folder, given its identity. */
  folder(id: Identity, where: FolderRequest): Folder;
  /** A run that failed before its load started leaves no empty folder of its own behind. */
  discard(folder: Folder): void;
  /** The topology exists: the others may use it. */
  topologyReady(id: Identity): void;
  /** The clock time the load starts, once every process is ready. */
  startAt(clock: Clock): Promise<number>;
  /** Every subscription has every acknowledged event (across processes); reports this one's progress. */
  caughtUp(rec: Recorder, subscriptions: number): boolean;
  /** Waits (up to `deadlineMs`) until the others are done with the topology. */
  finish(deadlineMs: number): Promise<void>;
  /** What the end note says of this process' place in the run. */
  endNote(): Pick<RunEnd, 'shard'>;
}

export interface FolderRequest {
  parent: string;
  name: string;
  at: Date;
  write: boolean;
  /** This process' count of runs started: names a run written nowhere. */
  nth: number;
}

/** A new run folder `<parent>/<name>-<yyyymmdd-hhmmss>[-n]` (UTC). */
export function runFolder(parent: string, name: string, at: Date): { runId: string; dir: string } {
  const base = `${name}-${utcStamp(at)}`;
  let runId = base;
  for (let i = 2; existsSync(path.join(parent, runId)); i++) runId = `${base}-${i}`;
  const dir = path.join(parent, runId);
  mkdirSync(dir, { recursive: true });
  return { runId, dir };
}

/** One process runs everything. */
export class LocalRun implements Coordination {
  readonly shard = undefined;

  owns(): boolean {
    return true;
  }

  identity(mine: Identity): Promise<Identity> {
    return Promise.resolve(mine);
  }

  folder(id: Identity, { parent, name, at, write, nth }: FolderRequest): Folder {
    return write ? runFolder(parent, name, at) : { runId: `${id.runId}-${process.pid}-${nth}`, dir: null };
  }

  discard(folder: Folder): void {
    try {
      if (folder.dir) rmdirSync(folder.dir);
    } catch {
      /* not empty, or already gone: keep it */
    }
  }

  topologyReady(): void {}

  startAt(clock: Clock): Promise<number> {
    return Promise.resolve(clock.now() + 50);
  }

  caughtUp(rec: Recorder): boolean {
    return rec.caughtUp();
  }

  finish(): Promise<void> {
    return Promise.resolve();
  }

  endNote(): Pick<RunEnd, 'shard'> {
    return {};
  }
}

/** One shard of a run split over processes, meeting the others through the store. */
export class ShardRun implements Coordination {
  private clockOffsetMs = 0;
  private notDone: number[] = [];
  private started = false;

  constructor(private readonly store: ShardStore) {}

  get shard(): { index: number; count: number } {
    return { index: this.store.index, count: this.store.count };
  }

  owns(n: number): boolean {
    return n % this.store.count === this.store.index;
  }

  identity(mine: Identity): Promise<Identity> {
    return this.store.index > 0 ? this.store.awaitIdentity() : Promise.resolve(mine);
  }

  folder(id: Identity): Folder {
    return { runId: id.runId, dir: this.store.dir };
  }

  discard(): void {}

  topologyReady(id: Identity): void {
    if (this.store.index === 0) this.store.publishIdentity(id);
  }

  /** Shards start together at the time shard 0 writes once all are ready (wall clock: the system clock is anchored at the epoch). */
  async startAt(clock: Clock): Promise<number> {
    const at = await this.store.start();
    this.started = true;
    // This shard's clock against the store's: the merge reports the largest difference between shards.
    this.clockOffsetMs = this.store.clockOffset() + (clock.now() - Date.now());
    return at;
  }

  /** Shards only know their own producers' outcomes: across shards, distinct deliveries against acknowledged sends. */
  caughtUp(rec: Recorder, subscriptions: number): boolean {
    this.store.report({ acked: rec.acked, distinct: [...rec.distinct] });
    return this.store.caughtUp(subscriptions);
  }

  /** A shard that died is waited for no longer than `deadlineMs`; one that never started waits for no one. */
  async finish(deadlineMs: number): Promise<void> {
    if (this.started) this.notDone = await this.store.finish(deadlineMs);
  }

  endNote(): Pick<RunEnd, 'shard'> {
    return { shard: { ...this.shard, clockOffsetMs: this.clockOffsetMs, ...(this.notDone.length ? { notDone: this.notDone } : {}) } };
  }
}
