// Projections of a history that several checkers read, computed once per history: every send's final
// outcome, key and intended time, and every event's delivery count per subscription. Because they are
// built from the whole history, a verdict uses final outcomes: arrival order can't change it.
import type { History } from '../observe/history.js';
import { FOREIGN, SHARED_LOG, UNREADABLE } from '../observe/history.js';
import { Outcome } from '../observe/outcome.js';

export interface SendIndex {
  /** Events attempted per producer (the highest sequence number recorded + 1). */
  count: Uint32Array;
  /** Per producer, by sequence number: the final outcome (0 = no record: never sent). */
  outcome: Uint8Array[];
  key: Uint32Array[];
  /** Intended send time, ms since the load started. */
  intended: Float64Array[];
}

export interface DeliveryIndex {
  /** [subscription][producer][seq]: deliveries of this run's events (saturating at 255). */
  counts: Uint8Array[][];
  /** Per subscription: deliveries of events never sent or refused by the broker, and unreadable envelopes. */
  unexpected: number[];
  unexpectedSamples: string[];
  /** Deliveries of other runs' events, ignored. */
  foreign: number;
}

const SAMPLES = 100;
const sendMemo = new WeakMap<History, SendIndex>();
const deliveryMemo = new WeakMap<History, DeliveryIndex>();

export function sendIndex(h: History): SendIndex {
  const memo = sendMemo.get(h);
  if (memo) return memo;
  const P = h.meta.producers;
  const count = new Uint32Array(P);
  for (const b of h.sends()) for (let i = 0; i < b.n; i++) if (b.producer[i] < P && b.seq[i] + 1 > count[b.producer[i]]) count[b.producer[i]] = b.seq[i] + 1;
  const outcome = Array.from(count, (n) => new Uint8Array(n));
  const key = Array.from(count, (n) => new Uint32Array(n));
  const intended = Array.from(count, (n) => new Float64Array(n));
  for (const b of h.sends()) {
    for (let i = 0; i < b.n; i++) {
      const p = b.producer[i];
      if (p >= P) continue;
      const s = b.seq[i];
      outcome[p][s] = b.outcome[i];
      key[p][s] = b.key[i];
      intended[p][s] = b.intended[i];
    }
  }
  const index = { count, outcome, key, intended };
  sendMemo.set(h, index);
  return index;
}

/** Whether a delivery of producer:seq is of an event this run sent and the broker did not refuse. */
export function expectedDelivery(sends: SendIndex, producer: number, seq: number): 'ok' | 'never sent' | 'sent with a definite failure (phantom write)' {
  if (producer >= sends.count.length || seq >= sends.count[producer]) return 'never sent';
  const o = sends.outcome[producer][seq];
  if (o === 0) return 'never sent';
  return o === Outcome.failed ? 'sent with a definite failure (phantom write)' : 'ok';
}

const UNREADABLE_WHY = ['', 'too short', 'bad magic', 'bad version'];

export function deliveryIndex(h: History): DeliveryIndex {
  const memo = deliveryMemo.get(h);
  if (memo) return memo;
  const sends = sendIndex(h);
  const S = h.meta.subscriptions;
  const counts = Array.from({ length: S }, () => Array.from(sends.count, (n) => new Uint8Array(n)));
  const unexpected = new Array<number>(S).fill(0);
  const unexpectedSamples: string[] = [];
  let foreign = 0;
  const odd = (s: number, what: string) => {
    unexpected[s]++;
    if (unexpectedSamples.length < SAMPLES) unexpectedSamples.push(what);
  };
  for (const b of h.deliveries()) {
    const s = b.subscription;
    if (s >= S) continue;
    for (let i = 0; i < b.n; i++) {
      const p = b.producer[i];
      const seq = b.seq[i];
      if (p === FOREIGN) foreign++;
      else if (p === UNREADABLE) odd(s, `unreadable envelope: ${UNREADABLE_WHY[seq] ?? 'bad'}`);
      else {
        const why = expectedDelivery(sends, p, seq);
        if (why !== 'ok') odd(s, `${p}:${seq}: ${why}`);
        else if (counts[s][p][seq] < 255) counts[s][p][seq]++;
      }
    }
  }
  const index = { counts, unexpected, unexpectedSamples, foreign };
  deliveryMemo.set(h, index);
  return index;
}

/** What the final read found in the broker: per subscription's own log, or the shared one. */
export interface LogIndex {
  /** The read reached the end of every log: only then does an absence prove a loss. */
  complete: boolean;
  /** How many positions of the subscription's log hold the event (saturating at 255). */
  copies(subscription: number, producer: number, seq: number): number;
  /** Where the read found each of the wanted events (`producer:seq`) in one subscription's log: partition and position. */
  where(subscription: number, wanted: Set<string>): Map<string, [number, number][]>;
  /** Which event the read found at each of the wanted places (`partition:position`) of one subscription's log. */
  holders(subscription: number, places: Set<string>): Map<string, string>;
  /** The positions the read found events of the run at in one subscription's log, ascending per partition. */
  positions(subscription: number): Map<number, Float64Array>;
}

/** The final read's findings, or null when there was none. */
export function finalReadIndex(h: History, count: Uint32Array, complete: boolean): LogIndex | null {
  const logs = new Map<number, Uint8Array[]>();
  for (const b of h.finalReads()) {
    let log = logs.get(b.subscription);
    if (!log) logs.set(b.subscription, (log = Array.from(count, (n) => new Uint8Array(n))));
    for (let i = 0; i < b.n; i++) {
      const p = b.producer[i];
      const seq = b.seq[i];
      if (p < count.length && seq < count[p] && log[p][seq] < 255) log[p][seq]++;
    }
  }
  if (!complete && logs.size === 0) return null;
  const shared = logs.get(SHARED_LOG);
  const logOf = (s: number) => (logs.has(s) ? s : SHARED_LOG);
  return {
    complete,
    copies: (s, p, seq) => (logs.get(s) ?? shared)?.[p]?.[seq] ?? 0,
    where(s, wanted) {
      const found = new Map<string, [number, number][]>();
      for (const b of h.finalReads()) {
        if (b.subscription !== logOf(s)) continue;
        for (let i = 0; i < b.n; i++) {
          const id = `${b.producer[i]}:${b.seq[i]}`;
          if (!wanted.has(id)) continue;
          const at = found.get(id) ?? [];
          at.push([b.partition[i], b.position[i]]);
          found.set(id, at);
        }
      }
      return found;
    },
    holders(s, places) {
      const found = new Map<string, string>();
      for (const b of h.finalReads()) {
        if (b.subscription !== logOf(s)) continue;
        for (let i = 0; i < b.n; i++) {
          const place = `${b.partition[i]}:${b.position[i]}`;
          if (places.has(place)) found.set(place, `${b.producer[i]}:${b.seq[i]}`);
        }
      }
      return found;
    },
    positions(s) {
      const per = new Map<number, number[]>();
      for (const b of h.finalReads()) {
        if (b.subscription !== logOf(s)) continue;
        for (let i = 0; i < b.n; i++) {
          const list = per.get(b.partition[i]);
          if (list) list.push(b.position[i]);
          else per.set(b.partition[i], [b.position[i]]);
        }
      }
      return new Map([...per].map(([partition, list]) => [partition, Float64Array.from(list).sort()]));
    },
  };
}

/** Where the broker said it put each acknowledged send (partition, position), or null when no adapter answer said. */
export interface PlacementIndex {
  /** How many acknowledged sends were placed. */
  count: number;
  at(producer: number, seq: number): [number, number] | null;
}

export function placementIndex(h: History, count: Uint32Array): PlacementIndex | null {
  let partition: Int32Array[] | null = null;
  let position: Float64Array[] | null = null;
  let placed = 0;
  for (const b of h.placements()) {
    partition ??= Array.from(count, (n) => new Int32Array(n).fill(-1));
    position ??= Array.from(count, (n) => new Float64Array(n));
    for (let i = 0; i < b.n; i++) {
      const p = b.producer[i];
      const seq = b.seq[i];
      if (p >= count.length || seq >= count[p]) continue;
      if (partition[p][seq] < 0) placed++;
      partition[p][seq] = b.partition[i];
      position[p][seq] = b.position[i];
    }
  }
  if (!partition || !position) return null;
  const [parts, positions] = [partition, position];
  return { count: placed, at: (p, seq) => (parts[p]?.[seq] >= 0 ? [parts[p][seq], positions[p][seq]] : null) };
}

/**
 * Per subscription, events delivered more than once from the same position of the log (a redelivery,
 * not a second write); null without read positions. Only events delivered twice or more are looked
 * at, so memory stays bounded by the duplicates.
 */
export function redeliveries(h: History, del: DeliveryIndex): { perSubscription: number[]; samples: { subscription: number; producer: number; seq: number; at: [number, number]; member: string; readMs: number }[] } | null {
  const seen = new Map<string, number>();
  const perSubscription = new Array<number>(del.counts.length).fill(0);
  const samples: { subscription: number; producer: number; seq: number; at: [number, number]; member: string; readMs: number }[] = [];
  let any = false;
  for (const b of h.reads()) {
    any = true;
    const s = b.subscription;
    for (let i = 0; i < b.n; i++) {
      const p = b.producer[i];
      const seq = b.seq[i];
      if ((del.counts[s]?.[p]?.[seq] ?? 0) < 2) continue;
      const place = `${s}:${b.partition[i]}:${b.position[i]}`;
      const times = (seen.get(place) ?? 0) + 1;
      seen.set(place, times);
      if (times !== 2) continue;
      perSubscription[s]++;
      if (samples.length < SAMPLES) samples.push({ subscription: s, producer: p, seq, at: [b.partition[i], b.position[i]], member: `s${s}/m${b.member[i]}`, readMs: b.at[i] });
    }
  }
  return any ? { perSubscription, samples } : null;
}
