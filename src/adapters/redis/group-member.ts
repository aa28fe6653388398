// One member of a Redis consumer group: its read loop (XREADGROUP with one read always waiting at the
// broker, XAUTOCLAIM of entries dead members left pending, a re-read of its own pending entries after
// any error), its acknowledgements, and a clean stop.
import { entryPosition } from './entry-id.js';
import type { Redis } from 'ioredis';
import { settleWithin } from '../../timeout.js';
import type { DeliveryHandler } from '../types.js';

type Entries = [Buffer, Buffer[] | null][];

/** XREADGROUP's streams: RESP2 gives [[key, entries], ...]; ioredis 6 on RESP3 flattens the map to [key, entries, ...]. */
function streamsOf(reply: unknown): Entries[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  if (Buffer.isBuffer(reply[0])) {
    const out: Entries[] = [];
    for (let i = 1; i < reply.length; i += 2) out.push(reply[i] as Entries);
    return out;
  }
  return (reply as [Buffer, Entries][]).map(([, entries]) => entries);
}

export interface MemberOptions {
  stream: string;
  group: string;
  name: string;
  subscription: number;
  count: number;
  block: number;
  claimIdle?: number;
  counts: Record<string, number>;
  /** The adapter is tearing down. */
  stopping: () => boolean;
  onDelivery: DeliveryHandler;
}

type Read = { reply: Promise<unknown>; reread: boolean };

export class GroupMember {
  readonly loop: Promise<void>;
  private running = true;
  // ioredis re-sends an unanswered XREADGROUP after reconnecting without telling us: the entries the
  // lost reply carried stay pending for this consumer, so any reconnect also means re-reading them.
  private pending = false;
  // One read always waits at the broker behind the one being answered, so an entry that arrives
  // while a reply travels back is handed out at once, not a round trip later.
  private queued: Read | null = null;

  constructor(
    private readonly r: Redis,
    private readonly o: MemberOptions,
  ) {
    r.on('close', () => (this.pending = true));
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await settleWithin(this.o.block + 500, this.loop);
  }

  private get live(): boolean {
    return this.running && !this.o.stopping();
  }

  // The XACK goes out without waiting for its reply: the next read never waits a round trip for it
  // (a failed XACK leaves the entry pending: re-read after a reconnect, a duplicate at worst).
  // With a processing delay each entry is acknowledged once handled; without, one XACK per reply.
  private async deliver(entries: Entries): Promise<void> {
    if (entries.length === 0) return;
    const { r, o } = this;
    const ids: Buffer[] = [];
    for (const [id, fields] of entries) {
      // a deleted entry comes back with no fields from XAUTOCLAIM/XREADGROUP of the history
      const handled = fields ? o.onDelivery(fields[1] ?? new Uint8Array(0), o.subscription, 0, entryPosition(id)) : undefined;
      if (handled) {
        await handled;
        r.xack(o.stream, o.group, id).catch(() => o.counts.ackErrors++);
      } else ids.push(id);
    }
    if (ids.length) r.xack(o.stream, o.group, ...ids).catch(() => o.counts.ackErrors++);
  }

  private read(): Read {
    const { o } = this;
    const reread = this.pending;
    const reply = this.r.callBuffer('XREADGROUP', 'GROUP', o.group, o.name, 'COUNT', String(o.count), ...(reread ? [] : ['BLOCK', String(Math.round(o.block))]), 'STREAMS', o.stream, reread ? '0' : '>');
    return { reply, reread };
  }

  private async run(): Promise<void> {
    const { o } = this;
    let claimAt = Date.now() + (o.claimIdle ?? 0);
    while (this.live) {
      try {
        if (o.claimIdle !== undefined && Date.now() >= claimAt) {
          claimAt = Date.now() + Math.max(100, o.claimIdle / 2);
          await this.claim(o.claimIdle);
        }
        await this.readOnce();
      } catch (err) {
        this.queued = null;
        if (!this.live) break;
        await this.recover(err);
      }
    }
    // What the read still queued hands out is delivered, not left pending with nobody to read it.
    const last = this.queued as Read | null;
    if (last) for (const entries of streamsOf(await last.reply.catch(() => null))) await this.deliver(entries);
  }

  private async claim(idleMs: number): Promise<void> {
    const { o } = this;
    const [, claimed] = (await this.r.callBuffer('XAUTOCLAIM', o.stream, o.group, o.name, String(Math.round(idleMs)), '0-0', 'COUNT', String(o.count))) as [Buffer, Entries];
    o.counts.reclaimed += claimed.length;
    await this.deliver(claimed);
  }

  // After an error, first re-read this consumer's own pending entries (id 0): a reply lost with a
  // reset connection leaves them pending, and '>' never hands them out again.
  private async readOnce(): Promise<void> {
    const current = this.queued ?? this.read();
    const rereading = current.reread;
    this.queued = null;
    if (!this.pending) {
      this.queued = this.read();
      this.queued.reply.catch(() => undefined);
    }
    const streams = streamsOf(await current.reply);
    if (rereading && streams.every((e) => e.length === 0)) this.pending = false;
    for (const entries of streams) {
      if (rereading) this.o.counts.rereadPending += entries.length;
      await this.deliver(entries);
    }
  }

  private async recover(err: unknown): Promise<void> {
    const { o } = this;
    this.pending = true;
    o.counts.readErrors++;
    // A Redis that restarted without persistence has lost the stream and its group: the group is
    // made again from the start of whatever the stream now holds, as a consumer service would.
    if (/NOGROUP/.test(String((err as Error)?.message))) {
      await this.r
        .xgroup('CREATE', o.stream, o.group, '0', 'MKSTREAM')
        .then(() => o.counts.groupsRecreated++)
        .catch(() => undefined);
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}
