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
  /** Who was handed the last event, and how many that member skipped since: skips between two of its reads. */
  lastMember: object | null = null;
  skipsSinceRead = 0;
  /** The group's commit: one past the highest position acknowledged or skipped, as a consumer commits past what it handled or skipped. */
  committed = 0;

  /** The member acknowledged (or skipped) the event at `position`. */
  commit(position: number): void {
    if (position >= this.committed) this.committed = position + 1;
  }
}
