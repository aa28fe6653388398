// A memory broker's messages and the queue of one subscription's partition.
export interface Message {
  payload: Uint8Array;
  producer: number;
  seq: number;
  key: number;
  /** producer:key, the unit of order. */
  orderKey: string;
  /** Where it is in its subscription's log (-1 before it is written there). */
  position: number;
  /** Its send was answered ok (a kill without persistence loses it: counted as wiped). */
  acked: boolean;
}

/** Messages waiting for one subscription on one partition, and who receives them. */
export class PartitionQueue {
  items: Message[] = [];
  /** A message held back to be delivered after the next one of its order key. */
  held = new Map<string, { msg: Message; copies: number; timer: NodeJS.Timeout }>();
  /** The last position handed out: the broker counts its own backwards hand-outs (the reorder knob's). */
  lastHanded = -1;
  /** Each member's session of this partition (since the group last changed): the lowest and highest position handed to it. */
  private sessions = new Map<object, { min: number; max: number }>();
  /** Sessions the group's changes ended. */
  private ended: { min: number; max: number }[] = [];
  /** Positions skipped (committed past, never handed over) that the log still holds. */
  skipped: number[] = [];
  /** Every position handed out, kept (with the sessions) only under the skip knob: a skipped copy of one handed out is no gap. */
  private readonly read: Set<number> | null;
  /** The group's commit: one past the highest position acknowledged or skipped, as a consumer commits past what it handled or skipped. */
  committed = 0;

  constructor(skips = false) {
    this.read = skips ? new Set() : null;
  }

  /** The event at `position` was handed to `member` (tracked only where there can be gaps: under the skip knob). */
  handed(member: object, position: number): void {
    if (!this.read) return;
    this.read.add(position);
    const s = this.sessions.get(member);
    if (!s) this.sessions.set(member, { min: position, max: position });
    else if (position < s.min) s.min = position;
    else if (position > s.max) s.max = position;
  }

  /** The group changed: every member's session of the partition ends. */
  endSessions(): void {
    this.ended.push(...this.sessions.values());
    this.sessions.clear();
  }

  /**
   * Read gaps, exactly as the checker defines them: skipped positions between the lowest and the
   * highest position one member was handed in one session (in position order, not time order: a
   * member handed a reordered event late went past what lies between).
   */
  readGaps(): number {
    const ranges = [...this.ended, ...this.sessions.values()];
    return this.skipped.filter((p) => !this.read!.has(p) && ranges.some((r) => p > r.min && p < r.max)).length;
  }

  /** The member acknowledged (or skipped) the event at `position`. */
  commit(position: number): void {
    if (position >= this.committed) this.committed = position + 1;
  }
}
