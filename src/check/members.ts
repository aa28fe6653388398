// faultline's own consumers are part of the instrument: from where each delivery was read and by
// which member (kind 7 blocks), the members that stopped reading well before the load ended, named
// with the partitions they had been reading. The delivery verdict cites them when events the broker
// holds were never delivered (unseen), so a consumer of ours that stalled reads as what it is.
import type { History } from '../observe/history.js';

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
  // without read positions (RabbitMQ, MQTT, Redis) nothing is known of members
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
