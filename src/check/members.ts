// faultline's own consumers are part of the instrument: from where each delivery was read and by
// which member (kind 7 blocks), the members that stopped reading well before the load ended, named
// with the partitions they had been reading. The delivery verdict cites them when events the broker
// holds were never delivered (unseen), so a consumer of ours that stalled reads as what it is.
import type { History } from '../observe/history.js';
import type { LogIndex } from './views.js';

/** A member idle this long before the load ended is named (a quarter of a shorter load). */
const IDLE_MS = 2000;

export interface StoppedMember {
  member: string;
  /** Its last read, ms since the load started. */
  lastReadMs: number;
  /** The partitions of its reads in the last second before it stopped. */
  partitions: number[];
}

/** Members (of `subscriptions` × `consumers`) whose last read came more than IDLE_MS (or a quarter of the load) before the load ended, or that read nothing. */
export function stoppedMembers(h: History, loadEndMs: number, subscriptions: number, consumers: number): StoppedMember[] {
  const last = new Map<string, { at: number; recent: Map<number, number> }>();
  let any = false;
  for (let s = 0; s < subscriptions; s++) for (let m = 0; m < consumers; m++) last.set(`s${s}/m${m}`, { at: -Infinity, recent: new Map() });
  for (const b of h.reads()) {
    any = true;
    for (let i = 0; i < b.n; i++) {
      const id = `s${b.subscription}/m${b.member[i]}`;
      let m = last.get(id);
      if (!m) last.set(id, (m = { at: -Infinity, recent: new Map() }));
      if (b.at[i] >= m.at) m.at = b.at[i];
      m.recent.set(b.partition[i], b.at[i]);
    }
  }
  // without read positions (RabbitMQ, MQTT) nothing is known of members
  if (!any) return [];
  return [...last]
    .filter(([, m]) => m.at < loadEndMs - Math.min(IDLE_MS, loadEndMs / 4))
    .map(([member, m]) => ({
      member,
      lastReadMs: m.at,
      partitions: [...m.recent]
        .filter(([, at]) => at >= m.at - 1000)
        .map(([p]) => p)
        .sort((a, b) => a - b),
    }))
    .sort((a, b) => a.member.localeCompare(b.member));
}

/** "s0/m0 read nothing after 0.5 s (it had been reading partitions 0, 2)" for each. */
export function stoppedWords(stopped: StoppedMember[]): string {
  const one = (m: StoppedMember) => (m.lastReadMs === -Infinity ? `${m.member} read nothing at all` : `${m.member} read nothing after ${(m.lastReadMs / 1000).toFixed(1)} s (it had been reading partition${m.partitions.length === 1 ? '' : 's'} ${m.partitions.join(', ')})`);
  return stopped.map(one).join('; ');
}

/** A read by a member at a lower position of a partition than its previous read there, within one session. */
export interface BackwardsRead {
  subscription: number;
  member: string;
  producer: number;
  seq: number;
  partition: number;
  /** The position read before, and the lower one read now, and when. */
  from: number;
  to: number;
  readMs: number;
}

/**
 * Jepsen's nonmonotonic reads: within a member's session, a read of a partition at a lower position
 * than its previous read of it. A session ends where the member rebalanced (its client said so) or a
 * consumer fault of the scenario hit it (a kill starts a new consumer): a re-read after either is the
 * protocol working, not an anomaly. Per subscription; null without read positions.
 */
export function backwardsReads(h: History, sessionEnds: { member: string; atMs: number }[]): { perSubscription: Map<number, number>; samples: BackwardsRead[] } | null {
  const endedBetween = boundaries(sessionEnds);
  const last = new Map<string, { position: number; at: number }>();
  const perSubscription = new Map<number, number>();
  const samples: BackwardsRead[] = [];
  let any = false;
  for (const b of h.reads()) {
    any = true;
    for (let i = 0; i < b.n; i++) {
      const member = `s${b.subscription}/m${b.member[i]}`;
      const key = `${member}:${b.partition[i]}`;
      const prev = last.get(key);
      last.set(key, { position: b.position[i], at: b.at[i] });
      if (!prev || b.position[i] >= prev.position) continue;
      // a session boundary between the two reads makes it a re-read, not an anomaly
      if (endedBetween(member, prev.at, b.at[i])) continue;
      perSubscription.set(b.subscription, (perSubscription.get(b.subscription) ?? 0) + 1);
      if (samples.length < 100) samples.push({ subscription: b.subscription, member, producer: b.producer[i], seq: b.seq[i], partition: b.partition[i], from: prev.position, to: b.position[i], readMs: b.at[i] });
    }
  }
  return any ? { perSubscription, samples } : null;
}

/** Whether a session of `member` ended (a rebalance, a crash, a consumer fault) between two of its reads, at `from` and `to`. */
function boundaries(sessionEnds: { member: string; atMs: number }[]): (member: string, from: number, to: number) => boolean {
  const ends = new Map<string, number[]>();
  for (const e of sessionEnds) {
    const list = ends.get(e.member);
    if (list) list.push(e.atMs);
    else ends.set(e.member, [e.atMs]);
  }
  return (member, from, to) => (ends.get(member) ?? []).some((t) => t >= from && t <= to);
}

/** A member's session of a partition that went past positions holding events without reading them. */
export interface ReadGap {
  subscription: number;
  member: string;
  partition: number;
  /** The first position gone past, and the member's reads either side of it. */
  position: number;
  from: number;
  to: number;
}

type Session = { subscription: number; member: string; partition: number; lastAt: number; read: number[] };

/**
 * Jepsen's skipped reads (its poll-skip and int-poll-skip, without poll boundaries): within a member's
 * session of a partition, the positions between its lowest and its highest read there that the final
 * read found holding an event, and that no member of the subscription ever read. The member went past
 * them: a consumer that skips, not a broker that lost (they are in the log; acknowledged and never
 * delivered they are unseen, and skipped once the group commits past them). Sessions end as for
 * nonmonotonic reads. Only positions the final read found count, so a log whose positions are not
 * consecutive (Redis entry IDs) is judged right; positions another member read do not, so members
 * sharing one log (a NATS consumer, a Redis group) are judged right too. Per subscription, how many
 * positions; null without read positions or a final read.
 */
export function readGaps(h: History, sessionEnds: { member: string; atMs: number }[], log: LogIndex | null): { perSubscription: Map<number, number>; samples: ReadGap[] } | null {
  if (!log) return null;
  const endedBetween = boundaries(sessionEnds);
  const open = new Map<string, Session>();
  const done: Session[] = [];
  // every position read from each subscription's partitions, by any member
  const read = new Map<string, Set<number>>();
  let any = false;
  for (const b of h.reads()) {
    any = true;
    for (let i = 0; i < b.n; i++) {
      const member = `s${b.subscription}/m${b.member[i]}`;
      const key = `${member}:${b.partition[i]}`;
      let session = open.get(key);
      if (session && endedBetween(member, session.lastAt, b.at[i])) {
        done.push(session);
        session = undefined;
      }
      if (!session) open.set(key, (session = { subscription: b.subscription, member, partition: b.partition[i], lastAt: b.at[i], read: [] }));
      session.lastAt = b.at[i];
      session.read.push(b.position[i]);
      const where = `${b.subscription}:${b.partition[i]}`;
      (read.get(where) ?? read.set(where, new Set()).get(where)!).add(b.position[i]);
    }
  }
  if (!any) return null;
  const perSubscription = new Map<number, number>();
  const samples: ReadGap[] = [];
  const logs = new Map<number, Map<number, Float64Array>>();
  const counted = new Set<string>();
  for (const session of [...done, ...open.values()]) {
    const s = session.subscription;
    if (!logs.has(s)) logs.set(s, log.positions(s));
    const where = `${s}:${session.partition}`;
    // a position two sessions went past (a re-read from an older commit) is one gap
    const gaps = gapsOf(session.read, logs.get(s)!.get(session.partition), read.get(where)!).filter((g) => !counted.has(`${where}:${g.position}`));
    for (const g of gaps) counted.add(`${where}:${g.position}`);
    if (gaps.length === 0) continue;
    perSubscription.set(s, (perSubscription.get(s) ?? 0) + gaps.length);
    for (const g of gaps.slice(0, 100 - samples.length)) samples.push({ subscription: s, member: session.member, partition: session.partition, ...g });
  }
  return { perSubscription, samples };
}

/** The log positions between a session's lowest and highest read that nobody read, each with the session's reads either side. */
function gapsOf(read: number[], logPositions: Float64Array | undefined, readByAny: Set<number>): { position: number; from: number; to: number }[] {
  if (!logPositions || read.length < 2) return [];
  const sorted = Float64Array.from(read).sort();
  const gaps: { position: number; from: number; to: number }[] = [];
  // both ascending: walk the log between the session's first and last read
  let r = 0;
  for (let i = lowerBound(logPositions, sorted[0]); i < logPositions.length && logPositions[i] < sorted[sorted.length - 1]; i++) {
    const p = logPositions[i];
    while (sorted[r + 1] <= p) r++;
    if (sorted[r] !== p && !readByAny.has(p)) gaps.push({ position: p, from: sorted[r], to: sorted[r + 1] });
  }
  return gaps;
}

/** The first index of `a` (ascending) holding a value ≥ x. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
