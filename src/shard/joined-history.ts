// The histories of a run's shards joined into one: sends from the shard that owns each producer,
// deliveries from every shard, and the per-second series recomputed from the joined observations
// (a shard's own series only counts what that shard saw).
import { expectedDelivery, sendIndex } from '../check/views.js';
import type { DeliveryBlock, FinalReadBlock, History, ReadBlock, HistoryMeta, Note, SendBlock } from '../observe/history.js';
import { IntervalSeries, type Interval } from '../observe/intervals.js';
import { runNotes } from '../observe/notes.js';
import { worstStatus } from '../check/verdict.js';
import { Outcome } from '../observe/outcome.js';

export class JoinedHistory implements History {
  readonly meta: HistoryMeta;
  private series: Interval[] | null = null;

  constructor(readonly parts: History[]) {
    if (parts.length === 0) throw new Error('no shard histories to join');
    this.meta = parts[0].meta;
  }

  get truncated(): boolean {
    return this.parts.some((p) => p.truncated);
  }

  *sends(): Generator<SendBlock> {
    for (const p of this.parts) yield* p.sends();
  }

  /** Each subscription's deliveries from every shard, merged by time: the order they arrived in across shards. */
  *deliveries(): Generator<DeliveryBlock> {
    for (let s = 0; s < this.meta.subscriptions; s++)
      yield* mergeByTime(
        this.parts.map((p) => ofSubscription(p.deliveries(), s)),
        s,
      );
  }

  /** Shard 0 reads the broker back for the whole run. */
  finalReads(): Iterable<FinalReadBlock> {
    return this.parts[0].finalReads();
  }

  *reads(): Generator<ReadBlock> {
    for (const p of this.parts) yield* p.reads();
  }

  *placements(): Generator<FinalReadBlock> {
    for (const p of this.parts) yield* p.placements();
  }

  *deadLetters(): Generator<DeliveryBlock> {
    for (const p of this.parts) yield* p.deadLetters();
  }

  /**
   * Shard 0's fault log and lag samples (shard 0 applies the faults and asks the broker), every
   * shard's client events and dead letters, and the per-second series of all shards together. The
   * run's end is the merge's to say, not a shard's.
   */
  notes(): Note[] {
    const first = this.parts[0].notes();
    const seconds = first.filter((n) => n.type === 'interval').length;
    this.series ??= joinedIntervals(this, seconds);
    const everyShard = this.parts.flatMap((p) => p.notes()).filter((n) => n.type === 'client-events' || n.type === 'dead-letters');
    // The joined run ended when every shard did: a shard killed before its end leaves it open.
    const ends = this.parts.map((p) => runNotes(p).end);
    const ended = ends.every((e) => e !== undefined) ? [{ type: 'end' as const, ...ends[0]!, status: worstStatus(ends.map((e) => e!.status)) }] : [];
    return [...this.series.map((interval): Note => ({ type: 'interval', interval })), ...first.filter((n) => n.type === 'faults' || n.type === 'lag' || n.type === 'final-read'), ...everyShard, ...ended];
  }
}

/** One-second intervals 1..seconds, binned by when each observation happened, as the live series does. */
function joinedIntervals(h: History, seconds: number): Interval[] {
  const bins = Array.from({ length: seconds }, () => new IntervalSeries());
  const bin = (ms: number) => (ms >= 0 && ms < seconds * 1000 ? bins[Math.floor(ms / 1000)] : undefined);
  for (const b of h.sends()) {
    for (let i = 0; i < b.n; i++) {
      const s = bin(b.sent[i]);
      if (s) s.attempted++;
      const a = bin(b.answered[i]);
      if (!a) continue;
      const o = b.outcome[i];
      if (o === Outcome.ok) {
        a.acked++;
        a.recordPublish(b.answered[i] - b.sent[i]);
      } else if (o === Outcome.failed) a.failed++;
      else a.indeterminate++;
    }
  }
  const sends = sendIndex(h);
  const seen = Array.from({ length: h.meta.subscriptions }, () => Array.from(sends.count, (n) => new Uint8Array(n)));
  for (const b of h.deliveries()) {
    if (b.subscription >= seen.length) continue;
    for (let i = 0; i < b.n; i++) {
      const p = b.producer[i];
      const seq = b.seq[i];
      if (expectedDelivery(sends, p, seq) !== 'ok' || seen[b.subscription][p][seq]) continue;
      seen[b.subscription][p][seq] = 1;
      const at = b.base + b.offsetUs[i] / 1000;
      const d = bin(at);
      if (!d) continue;
      d.delivered++;
      d.recordE2e(at - sends.intended[p][seq]);
    }
  }
  return bins.map((s, i) => {
    const iv = s.close(i + 1);
    s.destroy();
    return iv;
  });
}

function* ofSubscription(blocks: Iterable<DeliveryBlock>, s: number): Generator<DeliveryBlock> {
  for (const b of blocks) if (b.subscription === s && b.n > 0) yield b;
}

const OUT_BLOCK = 8192;
const OUT_SPAN_MS = 3_000_000;

/** A k-way merge of time-ordered delivery streams into blocks of one subscription. */
function* mergeByTime(streams: Iterator<DeliveryBlock>[], subscription: number): Generator<DeliveryBlock> {
  const cur = streams.map((it) => ({ it, b: it.next().value as DeliveryBlock | undefined, i: 0 }));
  const timeOf = (c: (typeof cur)[number]) => c.b!.base + c.b!.offsetUs[c.i] / 1000;
  let out = fresh(subscription);
  for (;;) {
    let best = -1;
    let bestT = Infinity;
    for (let k = 0; k < cur.length; k++) {
      if (!cur[k].b) continue;
      const t = timeOf(cur[k]);
      if (t < bestT) {
        bestT = t;
        best = k;
      }
    }
    if (best < 0) break;
    const c = cur[best];
    if (out.n > 0 && (out.n === OUT_BLOCK || bestT - out.base > OUT_SPAN_MS)) {
      yield out;
      out = fresh(subscription);
    }
    if (out.n === 0) out.base = Math.floor(bestT);
    const j = out.n++;
    out.producer[j] = c.b!.producer[c.i];
    out.seq[j] = c.b!.seq[c.i];
    out.key[j] = c.b!.key[c.i];
    out.offsetUs[j] = Math.max(0, Math.round((bestT - out.base) * 1000));
    if (++c.i >= c.b!.n) {
      c.b = c.it.next().value as DeliveryBlock | undefined;
      c.i = 0;
    }
  }
  if (out.n > 0) yield out;
}

function fresh(subscription: number): DeliveryBlock & { n: number } {
  return { n: 0, subscription, base: 0, producer: new Uint32Array(OUT_BLOCK), seq: new Uint32Array(OUT_BLOCK), key: new Uint32Array(OUT_BLOCK), offsetUs: new Uint32Array(OUT_BLOCK) };
}
