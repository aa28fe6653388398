// What the positions deliveries were read from show, per subscription and sampled, in Jepsen's words:
// redeliveries (the same position read again), nonmonotonic reads (a member's read going backwards
// within a session) and read gaps (a member going past events the log holds). Each null, and its
// counts 0, where deliveries carry no position.
import type { History } from '../observe/history.js';
import type { runNotes } from '../observe/notes.js';
import type { DeliveryVerdict } from './delivery.js';
import { backwardsReads, readGaps, type ReadGap } from './members.js';
import type { Sample } from './verdict.js';
import { redeliveries, type DeliveryIndex, type LogIndex } from './views.js';

type Notes = ReturnType<typeof runNotes>;

export function readAnomalies(h: History, del: DeliveryIndex, notes: Notes, log: LogIndex | null, key: Uint32Array[]) {
  const reread = redeliveries(h, del);
  const ends = sessionEnds(notes);
  const backwards = backwardsReads(h, ends);
  const gaps = readGaps(h, ends, log);
  return {
    /** Whether deliveries carried where they were read from (without, these counts are not measured). */
    positioned: reread !== null,
    /** Subscription s's counts. */
    of: (s: number) => ({ redelivered: reread?.perSubscription[s] ?? 0, nonmonotonic: backwards?.perSubscription.get(s) ?? 0, readGaps: gaps?.perSubscription.get(s) ?? 0 }),
    samples: { ...readSamples(reread, backwards, key), readGaps: gaps && log ? gapSamples(gaps.samples, log, key) : [] },
  };
}

/** Where a member's session ended: its rebalances and crashes (a new stream starts from the group's commits), and the consumer faults the scenario aimed at it. */
function sessionEnds(notes: Notes): { member: string; atMs: number }[] {
  const rebalances = notes.clientEvents.filter((e) => (e.kind === 'rebalance' || e.kind === 'crash') && e.member).map((e) => ({ member: e.member!, atMs: e.atMs }));
  const faults = notes.faults.filter((f) => f.kind === 'consumer').flatMap((f) => (f.members ?? []).flatMap((member) => [f.startMs, f.endMs].filter((t) => t >= 0).map((atMs) => ({ member, atMs }))));
  return [...rebalances, ...faults];
}

/** Samples of redeliveries (the position read again) and nonmonotonic reads (the position before, and the lower one after). */
function readSamples(reread: ReturnType<typeof redeliveries>, backwards: ReturnType<typeof backwardsReads>, key: Uint32Array[]): Pick<DeliveryVerdict['samples'], 'redelivered' | 'nonmonotonic'> {
  const sample = (x: { subscription: number; producer: number; seq: number; member: string; readMs: number }, at: [number, number][]): Sample => ({
    id: `${x.producer}:${x.seq}`,
    producer: x.producer,
    seq: x.seq,
    key: key[x.producer]?.[x.seq] ?? -1,
    subscription: x.subscription,
    at,
    member: x.member,
    readMs: x.readMs,
  });
  return {
    redelivered: (reread?.samples ?? []).map((x) => sample(x, [x.at])),
    nonmonotonic: (backwards?.samples ?? []).map((x) =>
      sample(x, [
        [x.partition, x.from],
        [x.partition, x.to],
      ]),
    ),
  };
}

/** Samples of read gaps: the event gone past, with the member's reads either side of it (the position gone past is the sample's middle place). */
function gapSamples(gaps: ReadGap[], log: LogIndex, key: Uint32Array[]): Sample[] {
  const bySub = new Map<number, ReadGap[]>();
  for (const g of gaps) bySub.set(g.subscription, [...(bySub.get(g.subscription) ?? []), g]);
  const out: Sample[] = [];
  for (const [s, list] of bySub) {
    const holders = log.holders(s, new Set(list.map((g) => `${g.partition}:${g.position}`)));
    for (const g of list) {
      const id = holders.get(`${g.partition}:${g.position}`) ?? '?';
      const [producer, seq] = id.split(':').map(Number);
      out.push({ id, producer, seq, key: key[producer]?.[seq] ?? -1, subscription: s, at: [g.from, g.position, g.to].map((p): [number, number] => [g.partition, p]), member: g.member });
    }
  }
  return out;
}
