// The delivery checker (after Jepsen's total-queue and Kafka checkers): from final send outcomes, every
// delivery, positions and the final read, per subscription: lost (proven absent where the broker can be
// read back; overwritten when its acknowledged position holds another event), unseen, duplicated
// (redelivered from the same position, or written twice), recovered, unexpected. Valid when nothing
// acknowledged was lost and nothing unexpected arrived (duplicates are at-least-once's right; a gate
// decides if they matter); unknown for what was not judged.
import { SHARED_LOG, type History } from '../observe/history.js';
import { runNotes, type FinalReadNote } from '../observe/notes.js';
import { isPoison } from '../plan/poison.js';
import { Outcome } from '../observe/outcome.js';
import type { RunPlan } from '../plan/plan.js';
import { pushSample, type Sample, type Valid, type Verdict } from './verdict.js';
import { stoppedMembers, stoppedWords } from './members.js';
import { readAnomalies } from './reads.js';
import { deliveryIndex, finalReadIndex, placementIndex, sendIndex, type LogIndex, type PlacementIndex } from './views.js';

export interface SendCounts {
  attempted: number;
  acked: number;
  failed: number;
  indeterminate: number;
}

export interface SubscriptionCounts {
  subscription: number;
  delivered: number;
  lost: number;
  duplicated: number;
  duplicateDeliveries: number;
  recovered: number;
  unexpected: number;
  /** Acknowledged events that reached the subscription's dead-letter queue and not the subscription (not lost). */
  deadLettered: number;
  /** Acknowledged events the scenario made poison (consumer.poison): what deadLettered should be. */
  poisoned: number;
  /** A run that ended early (killed, interrupted): acknowledged events not yet delivered when it stopped. Not lost: nobody waited for them. */
  pending: number;
  /** Acknowledged, never delivered, and found in the broker's log by the final read: faultline's consumers missed them (not a loss). */
  unseen: number;
  /** Of unseen: below their group's committed position at the end (skipped by the group); the rest were never fetched. 0 where the adapter cannot say. */
  skipped: number;
  /** Events the final read found at two or more positions of the log: written twice (a producer retry). */
  duplicateWrites: number;
  /** Events delivered again from the same position of the log (a redelivery: read twice, written once); 0 where deliveries carry no position. */
  redelivered: number;
  /** Reads by a member at a lower position of a partition than its previous read there, within one session (no rebalance or consumer fault between): Jepsen's nonmonotonic reads. Not judged; a gate can. */
  nonmonotonic: number;
  /** Positions holding events that a member went past within one session of a partition, between its reads there, without reading them (Jepsen's skipped reads); 0 without read positions or a final read. Not judged; a gate can. */
  readGaps: number;
  /** Lost events whose acknowledged position (the broker's answer) the final read found holding another event: the log was truncated and written again (a leader change). */
  overwritten: number;
}

export interface LostSplit {
  /** Sent before the first event this subscription received from that producer. */
  beforeFirstDelivery: number;
  betweenDeliveries: number;
  /** Sent after the last delivered one: may only be a slow reader. */
  afterLastDelivery: number;
}

export type DeliveryCounts = SendCounts & Omit<SubscriptionCounts, 'subscription'>;

export interface DeliveryVerdict extends Verdict<DeliveryCounts, { lost: Sample[]; duplicated: Sample[]; unexpected: string[]; unseen: Sample[]; duplicateWrites: Sample[]; redelivered: Sample[]; nonmonotonic: Sample[]; readGaps: Sample[] }> {
  lostSplit: LostSplit;
  subscriptions: SubscriptionCounts[];
  foreign: number;
  /** Counts this run had nothing to measure with, and why (no final read, no read positions): a gate over one has no data, whatever its 0 says. */
  unmeasured: Record<string, string>;
  /** Acknowledged sends whose position the broker's answer gave, and how many of them a final read found at that very position; null when no answer gave one. */
  positions: { placed: number; confirmed: number } | null;
}

/** The counts kept per subscription and summed over them. */
const SUMMED = ['delivered', 'lost', 'duplicated', 'duplicateDeliveries', 'recovered', 'unexpected', 'deadLettered', 'poisoned', 'pending', 'unseen', 'skipped', 'duplicateWrites', 'overwritten', 'redelivered', 'nonmonotonic', 'readGaps'] as const;
const zeroed = () => Object.fromEntries(SUMMED.map((k) => [k, 0])) as Record<(typeof SUMMED)[number], number>;

export function checkDelivery(h: History, plan: RunPlan): DeliveryVerdict {
  const sends = sendIndex(h);
  const del = deliveryIndex(h);
  const counts: DeliveryCounts = { attempted: 0, acked: 0, failed: 0, indeterminate: 0, ...zeroed() };
  const poison = plan.scenario.consumer.poison;
  const notes = runNotes(h);
  // A run that did not finish its drain (killed: no end note; interrupted) waited for nothing.
  const endedEarly = !notes.end || notes.end.status === 'aborted';
  const dead = deadLetterIndex(h, sends.count, del.counts.length);
  // An event the final read found is in the log; only a read that reached the end proves one it did not find is gone.
  const log = finalReadIndex(h, sends.count, notes.finalRead?.complete ?? false);
  const placed = placementIndex(h, sends.count);
  const reads = readAnomalies(h, del, notes, log, sends.key);
  const committedBy = notes.finalRead?.committed ? new Map(notes.finalRead.committed.map((c) => [`${c.subscription}:${c.partition}`, c.position])) : null;
  const lostSplit: LostSplit = { beforeFirstDelivery: 0, betweenDeliveries: 0, afterLastDelivery: 0 };
  const samples: DeliveryVerdict['samples'] = { lost: [], duplicated: [], unexpected: del.unexpectedSamples, unseen: [], duplicateWrites: [], ...reads.samples };
  countSends(sends, counts);
  const subscriptions: SubscriptionCounts[] = [];
  for (let s = 0; s < del.counts.length; s++) {
    const sub: SubscriptionCounts = { subscription: s, ...zeroed(), unexpected: del.unexpected[s], ...reads.of(s) };
    const lostAt = new Map<string, string>();
    const unseen = committedBy ? new Set<string>() : null;
    for (let p = 0; p < sends.count.length; p++) {
      const d = del.counts[s][p];
      const outcome = sends.outcome[p];
      const n = sends.count[p];
      const [first, last] = deliveredSpan(d, n);
      for (let seq = 0; seq < n; seq++) {
        const c = d[seq];
        if (outcome[seq] !== 0 && log && log.copies(s, p, seq) > 1) {
          sub.duplicateWrites++;
          pushSample(samples.duplicateWrites, p, seq, sends.key[p][seq], s);
        }
        if (poison && outcome[seq] === Outcome.ok && isPoison(plan.seed, p, seq, poison.fraction)) sub.poisoned++;
        if (c === 0 && dead?.[s][p][seq] && outcome[seq] !== Outcome.failed) {
          if (outcome[seq] === Outcome.ok) sub.deadLettered++;
          continue;
        }
        if (c > 0) {
          sub.delivered++;
          if (c > 1) {
            sub.duplicated++;
            sub.duplicateDeliveries += c - 1;
            pushSample(samples.duplicated, p, seq, sends.key[p][seq], s);
          }
          if (outcome[seq] !== Outcome.ok) sub.recovered++;
        } else if (outcome[seq] === Outcome.ok && endedEarly) sub.pending++;
        else if (outcome[seq] === Outcome.ok && log && log.copies(s, p, seq) > 0) {
          sub.unseen++;
          unseen?.add(`${p}:${seq}`);
          pushSample(samples.unseen, p, seq, sends.key[p][seq], s);
        } else if (outcome[seq] === Outcome.ok) {
          sub.lost++;
          pushSample(samples.lost, p, seq, sends.key[p][seq], s);
          const at = placed?.at(p, seq);
          if (at) lostAt.set(`${at[0]}:${at[1]}`, `${p}:${seq}`);
          if (first < 0 || seq < first) lostSplit.beforeFirstDelivery++;
          else if (seq > last) lostSplit.afterLastDelivery++;
          else lostSplit.betweenDeliveries++;
        }
      }
    }
    if (log) placesOf(sub, log, unseen, committedBy, lostAt);
    subscriptions.push(sub);
    for (const k of SUMMED) counts[k] += sub[k];
  }
  locateSamples(samples, log, placed, sends.intended);
  const { valid, why } = judge(counts, plan.scenario.workload.subscriptions > 0, log?.complete ?? false, heldAtEnd(notes), stoppedIfUnseen(h, plan, counts));
  return {
    valid,
    ...(why ? { why } : {}),
    counts,
    samples,
    lostSplit,
    subscriptions,
    foreign: del.foreign,
    unmeasured: unmeasured(notes.finalRead, reads.positioned),
    positions: placed && { placed: placed.count, confirmed: log ? confirmedPlacements(h, placed) : 0 },
  };
}

/**
 * The counts a final read or read positions measure, where this run had none. A final read that did
 * not read to the end measures them no better than none: what it missed may hold the unseen event,
 * the second copy, the overwritten position, so a 0 there is no evidence.
 */
function unmeasured(read: FinalReadNote | undefined, positioned: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const why = !read?.source ? 'no final read of the broker' : read.complete ? null : `the final read was incomplete${read.why ? ` (${read.why})` : ''}`;
  if (why) for (const k of ['unseen', 'skipped', 'duplicateWrites', 'overwritten', 'readGaps']) out[k] = why;
  if (!positioned) for (const k of ['redelivered', 'nonmonotonic', 'readGaps']) out[k] ??= 'deliveries carry no log position';
  return out;
}

/** When each sampled event was meant to be sent. */
function timeSamples(samples: DeliveryVerdict['samples'], intended: Float64Array[]): void {
  for (const list of Object.values(samples)) for (const s of list) if (typeof s === 'object' && intended[s.producer]?.[s.seq] !== undefined) s.sentMs = intended[s.producer][s.seq];
}

/** faultline's members that stopped reading, in words: why events the broker holds were never delivered (only asked when some were unseen). */
function stoppedIfUnseen(h: History, plan: RunPlan, counts: DeliveryCounts): string {
  return counts.unseen ? stoppedWords(stoppedMembers(h, plan.warmupMs + plan.durationMs, plan.scenario.workload.subscriptions, plan.scenario.workload.consumers)) : '';
}

/** From where the final read found them: unseen events the group went past (skipped), and lost events whose acknowledged position holds another (overwritten). */
function placesOf(sub: SubscriptionCounts, log: LogIndex, unseen: Set<string> | null, committedBy: Map<string, number> | null, lostAt: Map<string, string>): void {
  const s = sub.subscription;
  if (unseen?.size && committedBy) sub.skipped = skippedOf(log, s, unseen, committedBy);
  if (log.complete && lostAt.size) for (const [place, holder] of log.holders(s, new Set(lostAt.keys()))) if (holder !== lostAt.get(place)) sub.overwritten++;
}

/** Unseen events the final read found below their group's committed position (at any of their positions): the group went past them. */
function skippedOf(log: LogIndex, s: number, unseen: Set<string>, committed: Map<string, number>): number {
  let n = 0;
  for (const at of log.where(s, unseen).values()) if (at.some(([partition, position]) => position < (committed.get(`${s}:${partition}`) ?? -Infinity))) n++;
  return n;
}

/** The first and the last sequence number delivered (-1 when none was). */
function deliveredSpan(d: Uint8Array, n: number): [number, number] {
  let first = -1;
  let last = -1;
  for (let seq = 0; seq < n; seq++) {
    if (d[seq] > 0) {
      if (first < 0) first = seq;
      last = seq;
    }
  }
  return [first, last];
}

/** What the broker still held undelivered after the drain, by its own count: the last lag sample (0 without one). */
function heldAtEnd(notes: ReturnType<typeof runNotes>): number {
  const samples = notes.lag?.samples ?? [];
  return samples.length ? samples.reduce((a, b) => (b.atMs >= a.atMs ? b : a)).value : 0;
}

/** Final-read records of the shared log that hold their event at the position its acknowledgement gave. */
function confirmedPlacements(h: History, placed: PlacementIndex): number {
  let n = 0;
  for (const b of h.finalReads()) {
    if (b.subscription !== SHARED_LOG) continue;
    for (let i = 0; i < b.n; i++) {
      const at = placed.at(b.producer[i], b.seq[i]);
      if (at && at[0] === b.partition[i] && at[1] === b.position[i]) n++;
    }
  }
  return n;
}

/** Where and when each sampled event is: found by the final read (unseen, written twice), or, for a lost one, where the broker's answer put it (it is no longer there); and when it was meant to be sent. */
function locateSamples(samples: DeliveryVerdict['samples'], log: LogIndex | null, placed: PlacementIndex | null, intended: Float64Array[]): void {
  if (log) for (const list of [samples.duplicateWrites, samples.unseen]) locate(list, log);
  if (placed) for (const x of samples.lost) x.at = placed.at(x.producer, x.seq) ? [placed.at(x.producer, x.seq)!] : [];
  timeSamples(samples, intended);
}

/** Adds to each sample where the final read found its event. */
function locate(list: Sample[], log: LogIndex): void {
  for (const s of new Set(list.map((x) => x.subscription))) {
    const mine = list.filter((x) => x.subscription === s);
    const at = log.where(s, new Set(mine.map((x) => x.id)));
    for (const x of mine) x.at = at.get(x.id) ?? [];
  }
}

/**
 * [subscription][producer][seq]: whether the event reached the subscription's dead-letter queue (the
 * history's dead-letter deliveries, and the notes of older histories); null for a run without dead
 * letters, the common case.
 */
function deadLetterIndex(h: History, count: Uint32Array, subscriptions: number): Uint8Array[][] | null {
  let dead: Uint8Array[][] | null = null;
  const mark = (s: number, p: number, seq: number) => {
    if (s >= subscriptions || p >= count.length || seq >= count[p]) return;
    dead ??= Array.from({ length: subscriptions }, () => Array.from(count, (n) => new Uint8Array(n)));
    dead[s][p][seq] = 1;
  };
  for (const b of h.deadLetters()) for (let i = 0; i < b.n; i++) mark(b.subscription, b.producer[i], b.seq[i]);
  for (const e of runNotes(h).deadLetters) mark(e.subscription, e.producer, e.seq);
  return dead;
}

/** Attempted, acked, failed and indeterminate, from every send's final outcome. */
function countSends(sends: ReturnType<typeof sendIndex>, counts: DeliveryCounts): void {
  for (let p = 0; p < sends.count.length; p++) {
    const outcome = sends.outcome[p];
    for (let seq = 0; seq < sends.count[p]; seq++) {
      const o = outcome[seq];
      counts.attempted++;
      if (o === Outcome.ok) counts.acked++;
      else if (o === Outcome.failed) counts.failed++;
      // never answered (pending) and sequence numbers with no record count as indeterminate
      else counts.indeterminate++;
    }
  }
}

/**
 * The verdict: false for a loss or an unexpected delivery; unknown for what was not judged (pending,
 * unseen) or nothing sent. Without a complete final read, events never delivered while the broker
 * still held at least as many undelivered at the end are not called lost: faultline's consumers may
 * have stopped fetching them.
 */
function judge(counts: DeliveryCounts, checked: boolean, proven: boolean, heldAtEnd: number, stopped: string): { valid: Valid; why: string } {
  const held = !proven && heldAtEnd > 0 && counts.lost > 0;
  const unproven = held && heldAtEnd >= counts.lost;
  const overwritten = counts.overwritten ? `, ${counts.overwritten} of them at acknowledged positions that now hold other events (the log was truncated and written again)` : '';
  const lostWords = proven ? ` (absent from the final read${overwritten})` : held ? ` (no final read; the broker still held ${heldAtEnd} undelivered at the end, so at least ${counts.lost - heldAtEnd} are gone)` : '';
  const problems = [counts.lost && !unproven ? `${counts.lost} acknowledged events lost${lostWords}` : '', counts.unexpected ? `${counts.unexpected} unexpected deliveries` : ''].filter(Boolean);
  // Not judged: what the run did not wait for, and what the broker has but faultline's consumers missed.
  const unjudged = [
    unproven ? `${counts.lost} acknowledged events were never delivered, but not proven lost: there is no final read, and the broker still held ${heldAtEnd} undelivered events at the end (its consumer lag), so faultline's consumers may have stopped fetching them` : '',
    counts.pending ? `the run stopped with ${counts.pending} acknowledged events not yet delivered (pending, not judged lost)` : '',
    counts.unseen
      ? `${counts.unseen} acknowledged events are in the broker's log (final read) but faultline's consumers never delivered them: unseen, an instrument or consumer problem, not a loss${counts.skipped ? ` (${counts.skipped} skipped: their group committed past them; ${counts.unseen - counts.skipped} never fetched)` : ''}${counts.readGaps ? ` (${counts.readGaps} positions gone past by a member between two of its reads: read gaps)` : ''}${stopped ? ` (${stopped}${heldAtEnd > 0 ? `; the broker held ${heldAtEnd} undelivered at the end` : ''})` : ''}`
      : '',
  ].filter(Boolean);
  const valid = !checked ? true : counts.attempted === 0 ? 'unknown' : problems.length ? false : unjudged.length ? 'unknown' : true;
  const why = !checked ? '' : counts.attempted === 0 ? 'no events were sent' : [...problems, ...unjudged].join('; ');
  return { valid, why };
}
