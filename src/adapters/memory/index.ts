// An in-process broker with acks, partitions, consumer groups and per-key order, plus seeded fault
// knobs that it counts exactly (the checkers' tests compare their verdicts with these counts).
// It never stands in for a real broker in an adapter test.
import { Random } from '../../clock.js';
import { emptyEnvelope, fnv1a, readEnvelope } from '../../observe/envelope.js';
import type { SendOutcome } from '../../observe/outcome.js';
import type { Adapter, AdapterContext, Capabilities, CommittedPosition, Consumer, DeliveryHandler, FinalReadSink, OutgoingEvent, Producer } from '../types.js';
import { RetainedLog } from './log.js';
import { PartitionQueue, type Message } from './queue.js';
import { BrokerProcess } from './process.js';
import { TokenBucket } from './token-bucket.js';
import type { MemoryTarget } from './config.js';

export const capabilities: Capabilities = { orderedPerKey: true, producerIdempotence: false, ackModes: ['ack'] };

const HOLD_MS = 50;

class MemoryBroker implements Adapter {
  readonly name = 'memory';
  readonly capabilities = capabilities;
  private readonly rng: Random;
  private queues: PartitionQueue[][] = [];
  /** [subscription][partition]: what the broker holds, delivered or not (the final read's source). */
  private logs: RetainedLog[][] = [];
  /** When the first member joined (the stall knob counts from it). */
  private firstMemberAt: number | null = null;
  /** Per subscription, its members: the handler, and what it was handed and has not yet acknowledged (by partition). */
  private members: ({ handler: DeliveryHandler; unacked: Set<{ m: Message; p: number }> } | null)[][] = [];
  private flushScheduled = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly bucket: TokenBucket | null;
  private closed = false;
  /** Bumped when a kill forgets everything: deliveries still on a timer from before are forgotten too. */
  private generation = 0;
  readonly inProcess = new BrokerProcess(
    () => this.forget(),
    () => this.scheduleFlush(),
  );
  private readonly counts = { wiped: 0, refused: 0, written: 0, dropped: 0, droppedUnacked: 0, duplicated: 0, duplicateWrites: 0, skipped: 0, reordered: 0, backwards: 0, failedAcks: 0, lostAcks: 0, delivered: 0 };

  constructor(
    private readonly target: MemoryTarget,
    private readonly ctx: AdapterContext,
  ) {
    this.rng = new Random(ctx.seed ^ 0x5eed);
    this.bucket = target.maxRate ? new TokenBucket(target.maxRate) : null;
  }

  async setup(): Promise<void> {
    if (this.queues.length) return;
    this.queues = Array.from({ length: this.ctx.subscriptions }, () => Array.from({ length: this.target.partitions }, () => new PartitionQueue(this.target.skip > 0)));
    this.members = Array.from({ length: this.ctx.subscriptions }, () => []);
    this.logs = Array.from({ length: this.ctx.subscriptions }, () => Array.from({ length: this.target.partitions }, () => new RetainedLog()));
  }

  readonly finalReadSource = 'every partition of every subscription’s log, from its start';

  get finalReadUnavailable(): string | undefined {
    return this.target.readBack ? undefined : 'this memory broker is set up as one that cannot be read back (readBack: false): a loss is not proven by a final read';
  }

  async finalRead(sink: FinalReadSink): Promise<{ complete: boolean; why?: string }> {
    const partial = this.target.readBack === 'partial';
    this.logs.forEach((partitions, s) => partitions.forEach((log, p) => (!partial || p === 0) && log.forEach((producer, seq, key, position) => sink.event(producer, seq, key, p, position, s))));
    return partial ? { complete: false, why: 'readBack: partial: partition 0 only' } : { complete: true };
  }

  async createProducer(): Promise<Producer> {
    return { send: (batch) => this.accept(batch), close: async () => undefined };
  }

  async createConsumer(opts: { subscription: number; member: number }, onDelivery: DeliveryHandler): Promise<Consumer> {
    this.firstMemberAt ??= performance.now();
    const group = this.members[opts.subscription];
    const member = { handler: onDelivery, unacked: new Set<{ m: Message; p: number }>() };
    group[opts.member] = member;
    this.rebalanced(opts.subscription, 'joined the group');
    this.scheduleFlush();
    return {
      close: async () => {
        if (group[opts.member] === member) group[opts.member] = null;
        this.rebalanced(opts.subscription, `s${opts.subscription}/m${opts.member} left the group`);
        // What it had not acknowledged goes back to the front of its partition, for the other members.
        const back = [...member.unacked];
        member.unacked.clear();
        for (const { m, p } of back.reverse()) this.queues[opts.subscription]?.[p]?.items.unshift(m);
        if (back.length) (this.counts as Record<string, number>).requeued = ((this.counts as Record<string, number>).requeued ?? 0) + back.length;
        if (back.length) this.scheduleFlush();
      },
    };
  }

  /** The group's members changed: partitions move, so each member's session of them ends (a rebalance, as a real group's). */
  private rebalanced(s: number, reason: string): void {
    for (const q of this.queues[s] ?? []) q.endSessions();
    this.members[s].forEach((m, i) => m && this.ctx.onClientEvent?.({ kind: 'rebalance', member: `s${s}/m${i}`, reason }));
  }

  async teardown(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    for (const sub of this.queues) for (const q of sub) for (const h of q.held.values()) clearTimeout(h.timer);
    this.queues = [];
  }

  stats(): Record<string, number> {
    // skipped events between two positions one member read in one session: read gaps, exactly
    const skippedBetweenReads = this.queues.flat().reduce((n, q) => n + q.readGaps(), 0);
    return { ...this.counts, skippedBetweenReads };
  }

  async committed(): Promise<CommittedPosition[]> {
    return this.queues.flatMap((sub, subscription) => sub.map((q, partition) => ({ subscription, partition, position: q.committed })));
  }

  readonly lagSource = 'messages queued, held back and handed out but not yet acknowledged';

  async lag(): Promise<number> {
    let n = 0;
    for (const sub of this.queues) for (const q of sub) n += q.items.length + q.held.size;
    for (const group of this.members) for (const m of group) n += m?.unacked.size ?? 0;
    return n;
  }

  async environment() {
    return { client: { name: 'memory', version: '1' }, broker: { version: 'in-process' } };
  }

  private async accept(batch: OutgoingEvent[]): Promise<SendOutcome[]> {
    if (this.bucket) await this.bucket.take(batch.length);
    await this.inProcess.untilAnswering();
    if (this.inProcess.state === 'dead') {
      // killed: the connection is refused, nothing is written
      this.counts.refused += batch.length;
      return batch.map(() => 'failed');
    }
    const out: SendOutcome[] = new Array(batch.length);
    const env = emptyEnvelope();
    for (let i = 0; i < batch.length; i++) {
      const ev = batch[i];
      if (this.rng.next() < this.target.failAcks) {
        this.counts.failedAcks++;
        out[i] = 'failed';
        continue;
      }
      const acked = !(this.rng.next() < this.target.lostAcks);
      if (!acked) this.counts.lostAcks++;
      out[i] = acked ? 'ok' : 'indeterminate';
      readEnvelope(ev.payload, env);
      this.write({ payload: ev.payload, orderKey: `${env.producer}:${ev.key}`, producer: env.producer, seq: env.seq, key: env.key, position: -1, acked }, ev.key, acked);
    }
    return out;
  }

  private write(msg: Message, key: string, acked: boolean): void {
    this.counts.written++;
    const partition = fnv1a(key) % this.target.partitions;
    for (let s = 0; s < this.queues.length; s++) {
      if (this.rng.next() < this.target.drop) {
        if (acked) this.counts.dropped++;
        else this.counts.droppedUnacked++;
        continue;
      }
      const written = { ...msg, position: this.logs[s][partition].append(msg.producer, msg.seq, msg.key) };
      const copies = this.rng.next() < this.target.duplicate ? 2 : 1;
      if (copies === 2) this.counts.duplicated++;
      const reorder = this.rng.next() < this.target.reorder;
      // a held (reordered) event is written once: its second copy would be counted as its own reorder
      const twice = !reorder && this.target.duplicateWrites > 0 && this.rng.next() < this.target.duplicateWrites;
      if (twice) this.counts.duplicateWrites++;
      const again = twice ? { ...msg, position: this.logs[s][partition].append(msg.producer, msg.seq, msg.key) } : null;
      const generation = this.generation;
      const deliver = () => {
        if (generation !== this.generation) {
          // written before a kill that forgot everything, and still on its delivery delay
          if (acked) this.counts.wiped += copies + (again ? 1 : 0);
          return;
        }
        this.enqueue(s, partition, written, copies, reorder);
        if (again) this.enqueue(s, partition, again, 1, false);
      };
      if (this.target.delay > 0) {
        const t = setTimeout(() => (this.timers.delete(t), deliver()), this.target.delay);
        this.timers.add(t);
      } else deliver();
    }
  }

  private enqueue(s: number, partition: number, msg: Message, copies: number, reorder: boolean): void {
    if (this.closed) return;
    const q = this.queues[s][partition];
    const held = q.held.get(msg.orderKey);
    if (held) {
      // The held message goes after this one: one reordered delivery (its copies follow as duplicates).
      clearTimeout(held.timer);
      q.held.delete(msg.orderKey);
      for (let c = 0; c < copies; c++) q.items.push(msg);
      q.items.push(held.msg);
      this.counts.reordered++;
      if (held.copies === 2) q.items.push(held.msg);
    } else if (reorder) {
      const entry = { msg, copies, timer: setTimeout(() => this.release(s, partition, msg.orderKey), HOLD_MS) };
      q.held.set(msg.orderKey, entry);
      return;
    } else {
      for (let c = 0; c < copies; c++) q.items.push(msg);
    }
    this.scheduleFlush();
  }

  /** No successor came in time: deliver the held message in order after all (not a reorder). */
  private release(s: number, partition: number, orderKey: string): void {
    const q = this.queues[s]?.[partition];
    const held = q?.held.get(orderKey);
    if (!q || !held) return;
    q.held.delete(orderKey);
    for (let c = 0; c < held.copies; c++) q.items.push(held.msg);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** A kill without persistence: the queues, held events and logs are forgotten (acknowledged ones counted as wiped). */
  private forget(): void {
    if (this.target.persistence) return;
    this.generation++;
    for (const sub of this.queues) {
      for (const q of sub) {
        for (const m of q.items) if (m.acked) this.counts.wiped++;
        for (const h of q.held.values()) {
          clearTimeout(h.timer);
          if (h.msg.acked) this.counts.wiped += h.copies;
        }
        q.items = [];
        q.held.clear();
        q.skipped = [];
      }
    }
    for (const sub of this.logs) for (const log of sub) log.clear();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.inProcess.state !== 'running') return;
    for (let s = 0; s < this.queues.length; s++) {
      const members = this.members[s].filter((m) => !!m);
      if (members.length === 0) continue;
      const parts = this.queues[s];
      for (let p = 0; p < parts.length; p++) {
        const q = parts[p];
        if (q.items.length === 0) continue;
        const member = members[p % members.length];
        if (member === this.members[s][0] && this.stalled) continue;
        const budget = this.target.prefetch === undefined ? Infinity : this.target.prefetch - member.unacked.size;
        if (budget <= 0) continue;
        const items = budget >= q.items.length ? q.items : q.items.slice(0, budget);
        q.items = items === q.items ? [] : q.items.slice(budget);
        for (const m of items) {
          if (this.target.skip > 0 && this.rng.next() < this.target.skip) {
            this.counts.skipped++;
            q.skipped.push(m.position);
            q.commit(m.position);
            continue;
          }
          this.counts.delivered++;
          q.handed(member, m.position);
          if (m.position < q.lastHanded) this.counts.backwards++;
          q.lastHanded = m.position;
          const handled = member.handler(m.payload, s, p, m.position);
          if (handled) {
            const entry = { m, p };
            member.unacked.add(entry);
            void handled.then(() => {
              member.unacked.delete(entry);
              q.commit(m.position);
              if (this.target.prefetch !== undefined) this.scheduleFlush();
            });
          } else q.commit(m.position);
        }
      }
    }
  }

  /** The stall knob: member 0 of each subscription gets nothing more (its events stay queued and in the log). */
  private get stalled(): boolean {
    return this.target.stall !== undefined && this.firstMemberAt !== null && performance.now() - this.firstMemberAt >= this.target.stall;
  }
}

export function create(target: MemoryTarget, ctx: AdapterContext): Adapter {
  return new MemoryBroker(target, ctx);
}
