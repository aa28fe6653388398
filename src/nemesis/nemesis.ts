// The nemesis: applies fault windows on time, logs what really happened, and heals everything it
// did on every path (normal end, error, signal, uncaught exception), retrying heals that fail.
import { writeFileSync } from 'node:fs';
import type { Clock } from '../clock.js';
import { EnvironmentError } from '../errors.js';
import { applyFault, describeStep, healStep, type HealStep } from './actions.js';
import type { ClusterView } from './cluster-faults.js';
import type { ConsumerControl } from './consumer-faults.js';
import type { InProcessBroker } from '../adapters/types.js';
import type { FaultLogEntry } from '../observe/notes.js';
import { usesProxy, type FaultWindow } from './plan.js';
import { Toxiproxy } from './toxiproxy.js';

export type { FaultLogEntry };

interface StateStep {
  fault: string;
  step: HealStep;
  healed: boolean;
}

/** The file a run keeps of what it applied, for `faultline heal` after a kill -9. */
export interface NemesisState {
  runId: string;
  toxiproxy: string;
  steps: StateStep[];
}

const live = new Set<Nemesis>();

/** How long after healing a fault on a cluster's nodes the leader is asked again ("after"). */
const LEADER_SETTLE_MS = 2000;

/** Heals every nemesis of this process (for crash handlers). */
export async function healAllLive(): Promise<void> {
  await Promise.allSettled([...live].map((n) => n.heal()));
}

export class Nemesis {
  private readonly tp: Toxiproxy;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly steps: StateStep[] = [];
  private readonly log = new Map<string, FaultLogEntry>();
  private readonly busy = new Set<Promise<void>>();
  private startAt = 0;
  private stopped = false;
  private cluster: ClusterView | undefined;
  private consumers: ConsumerControl | undefined;
  private broker: InProcessBroker | undefined;

  constructor(
    private readonly windows: FaultWindow[],
    private readonly opts: {
      clock: Clock;
      runId: string;
      prefix: string;
      stateFile: string | null;
      toxiproxyUrl?: string;
      /** Each fault's entry whenever it changes (planned, applied, healed): the history's fault notes, written as they happen. */
      onEntry?: (entry: FaultLogEntry) => void;
    },
  ) {
    this.tp = new Toxiproxy({ url: opts.toxiproxyUrl });
    for (const w of windows) this.log.set(w.id, { id: w.id, label: w.label, kind: w.kind, target: w.target, plannedStartMs: w.startMs, plannedEndMs: w.endMs, startMs: NaN, endMs: NaN, applied: false, healed: false });
  }

  /** Before the run touches a broker: Toxiproxy answers and has every proxy the faults name. */
  async check(): Promise<void> {
    const proxies = [...new Set(this.windows.filter((w) => usesProxy(w.kind)).map((w) => w.target))];
    if (proxies.length === 0) return;
    const have = await this.tp.proxies().catch((err: Error) => {
      throw new EnvironmentError(err.message, 'start Toxiproxy and the proxies with scripts/services.sh up');
    });
    const missing = proxies.filter((p) => !have[p]);
    if (missing.length) throw new EnvironmentError(`Toxiproxy at ${this.tp.url} has no proxy ${missing.map((m) => `'${m}'`).join(', ')} (it has: ${Object.keys(have).join(', ') || 'none'})`, 'scripts/services.sh up creates the local proxies; or fix the proxy names in the scenario');
  }

  /** The target's cluster, once its adapter is up (it finds the leader). */
  attach(cluster: ClusterView): void {
    this.cluster = cluster;
  }

  /** The run's consumer members, for consumer faults. */
  attachConsumers(consumers: ConsumerControl): void {
    this.consumers = consumers;
  }

  /** A broker inside faultline's process (memory), for its process faults. */
  attachBroker(broker: InProcessBroker): void {
    this.broker = broker;
  }

  /** Who leads now, by name; never throws (a partitioned cluster may not answer). */
  private async leaderNow(): Promise<string | undefined> {
    return this.cluster?.leader().catch(() => undefined);
  }

  /** Schedules every window relative to `startAt` (the clock time the load started). */
  start(startAt: number): void {
    this.startAt = startAt;
    live.add(this);
    for (const w of this.windows) {
      this.publish(w.id);
      this.at(w.startMs, () => this.track(this.open(w)));
    }
  }

  private publish(id: string): void {
    this.opts.onEntry?.(entryOf(this.log.get(id)!));
  }

  private at(offsetMs: number, fn: () => void): void {
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        if (!this.stopped) fn();
      },
      Math.max(0, this.startAt + offsetMs - this.opts.clock.now()),
    );
    this.timers.add(t);
  }

  private track(p: Promise<void>): void {
    this.busy.add(p);
    void p.finally(() => this.busy.delete(p));
  }

  private now(): number {
    return Math.round(this.opts.clock.now() - this.startAt);
  }

  private async open(w: FaultWindow): Promise<void> {
    const entry = this.log.get(w.id)!;
    entry.startMs = this.now();
    try {
      if (w.cluster) entry.leaderBefore = await this.leaderNow();
      const hit = await applyFault(w, { tp: this.tp, prefix: this.opts.prefix, record: (step) => this.record(w.id, step), cluster: this.cluster, consumers: this.consumers, broker: this.broker });
      if (hit) entry[w.kind === 'consumer' ? 'members' : 'nodes'] = hit;
      entry.applied = true;
    } catch (err) {
      entry.error = (err as Error).message;
    }
    this.publish(w.id);
    if (w.kind === 'restart' || w.spec.consumer?.restart !== undefined) {
      entry.endMs = this.now();
      entry.healed = entry.applied;
      if (w.cluster) entry.leaderAfter = await this.leaderNow();
      this.publish(w.id);
      return;
    }
    if (this.stopped) return;
    this.at(w.endMs, () => this.track(this.close(w.id)));
  }

  private async close(id: string): Promise<void> {
    const entry = this.log.get(id)!;
    const ok = await this.healSteps(this.steps.filter((s) => s.fault === id && !s.healed));
    entry.endMs = this.now();
    entry.healed = ok;
    this.publish(id);
    if (this.windows.find((w) => w.id === id)?.cluster) {
      // A node that was cut off still believes what it knew: ask once the cluster has had a moment to agree.
      if (!this.stopped) await new Promise((r) => setTimeout(r, LEADER_SETTLE_MS));
      entry.leaderAfter = await this.leaderNow();
      this.publish(id);
    }
  }

  private record(fault: string, step: HealStep): void {
    this.steps.push({ fault, step, healed: false });
    this.save();
  }

  private save(): void {
    if (!this.opts.stateFile) return;
    const state: NemesisState = { runId: this.opts.runId, toxiproxy: this.tp.url, steps: this.steps };
    writeFileSync(this.opts.stateFile, JSON.stringify(state, null, 2));
  }

  /** Heals the given steps, newest first, each retried; true when all are healed. */
  private async healSteps(steps: StateStep[]): Promise<boolean> {
    let ok = true;
    for (const s of [...steps].reverse()) {
      for (let attempt = 1; ; attempt++) {
        try {
          await healStep(s.step, this.tp, this.consumers, this.broker);
          s.healed = true;
          break;
        } catch (err) {
          if (attempt >= 4) {
            ok = false;
            const entry = this.log.get(s.fault);
            if (entry) entry.error = `${entry.error ? `${entry.error}; ` : ''}could not ${describeStep(s.step)}: ${(err as Error).message}`;
            break;
          }
          await new Promise((r) => setTimeout(r, 250 * attempt));
        }
      }
    }
    this.save();
    return ok;
  }

  /** Stops the timeline and heals everything still applied. Safe to call more than once. */
  async heal(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.busy]);
    const open = this.steps.filter((s) => !s.healed);
    if (open.length) {
      await this.healSteps(open);
      const end = this.now();
      for (const id of new Set(open.map((s) => s.fault))) {
        const entry = this.log.get(id)!;
        if (Number.isNaN(entry.endMs)) entry.endMs = end;
        entry.healed = this.steps.filter((s) => s.fault === id).every((s) => s.healed);
        this.publish(id);
      }
    }
    live.delete(this);
  }

  entries(): FaultLogEntry[] {
    return [...this.log.values()].map(entryOf);
  }
}

/** A log entry as it is written: times not yet known are -1. */
const entryOf = (e: FaultLogEntry): FaultLogEntry => ({ ...e, startMs: Number.isNaN(e.startMs) ? -1 : e.startMs, endMs: Number.isNaN(e.endMs) ? -1 : e.endMs });
