// The observation history of a run (`<run>/observations.bin`): every send's outcome and times, every
// delivery and dead letter, the fault log and the run's end, streamed to disk in blocks. Checkers read
// only this. The format is written down in docs/observations.md; bump HISTORY_VERSION on any change
// that an older reader would misread (a new block kind is skipped by older readers).
import type { Note } from './notes.js';

export type { Note } from './notes.js';

/** The observation history of a run, in its folder. */
export const OBSERVATIONS_FILE = 'observations.bin';

export const HISTORY_VERSION = 1;
export const MAGIC = 'FAULTOBS';
export const HEADER_BYTES = 16;
export const BLOCK_HEADER_BYTES = 12;
/**
 * deadLetters: deliveries on a subscription's dead-letter queue, laid out as a deliveries block.
 * finalRead: what a final read found in the broker's log. placements: where the broker said it put
 * acknowledged sends (laid out as a final read block). reads: where each delivery was read from and
 * by which member (laid out as a final read block, the key column holding the member).
 */
export const BlockKind = { sends: 1, deliveries: 2, note: 3, deadLetters: 4, finalRead: 5, placements: 6, reads: 7 } as const;
/** A final read's subscription field when the read is of the one log every subscription reads. */
export const SHARED_LOG = 0xffff;
/** A delivery whose envelope could not be read; its `seq` is the reason. */
export const UNREADABLE = 0xffffffff;
/** A delivery of another run's event (e.g. a leftover in a reused topic). */
export const FOREIGN = 0xfffffffe;
export const UNREADABLE_REASON = { short: 1, magic: 2, version: 3 } as const;

/** What a checker needs besides the observations: the scenario as run (secrets masked) and the run's shape. */
export interface HistoryMeta {
  format: typeof HISTORY_VERSION;
  runId: string;
  runTag: number;
  targetName: string;
  seed: number;
  scenario: unknown;
  producers: number;
  subscriptions: number;
  keys: number;
  /** Effects are applied at most once per event and subscription (faultline's own de-duplicating consumer). */
  dedupeEffects: boolean;
  startedAt: string;
}

/** Sends, columns of one block; times in ms since the load started (answered NaN: never answered). */
export interface SendBlock {
  n: number;
  intended: Float64Array;
  sent: Float64Array;
  answered: Float64Array;
  producer: Uint32Array;
  seq: Uint32Array;
  key: Uint32Array;
  outcome: Uint8Array;
}

/** Events and where they are in the broker (partition, position): found by a final read, or placed there by an acknowledged send. */
export interface FinalReadBlock {
  n: number;
  /** The subscription whose log was read, or SHARED_LOG. */
  subscription: number;
  producer: Uint32Array;
  seq: Uint32Array;
  key: Uint32Array;
  partition: Uint32Array;
  position: Float64Array;
}

/** Where deliveries to one subscription were read from (partition, position), by which member and when (ms since the load started), in arrival order. */
export interface ReadBlock {
  n: number;
  subscription: number;
  at: Float64Array;
  producer: Uint32Array;
  seq: Uint32Array;
  member: Uint32Array;
  partition: Uint32Array;
  position: Float64Array;
}

/** Deliveries to one subscription, in arrival order; time of record i = base + offsetUs[i] / 1000 (ms since the load started). */
export interface DeliveryBlock {
  n: number;
  subscription: number;
  base: number;
  producer: Uint32Array;
  seq: Uint32Array;
  key: Uint32Array;
  offsetUs: Uint32Array;
}

/** What checkers read: one run's observations, from one file or joined from several shards'. */
export interface History {
  readonly meta: HistoryMeta;
  /** Some file ended inside a block (a run killed mid-write): everything before it is read. */
  readonly truncated: boolean;
  sends(): Iterable<SendBlock>;
  /** Deliveries per subscription, in arrival order within each shard. */
  deliveries(): Iterable<DeliveryBlock>;
  /** Deliveries from each subscription's dead-letter queue. */
  deadLetters(): Iterable<DeliveryBlock>;
  /** What the final read found in the broker's log. */
  finalReads(): Iterable<FinalReadBlock>;
  /** Where the broker said it put acknowledged sends (adapters whose answer says so). */
  placements(): Iterable<FinalReadBlock>;
  /** Where deliveries were read from, and by which member (adapters reading a log). */
  reads(): Iterable<ReadBlock>;
  notes(): Note[];
}

export class HistoryFormatError extends Error {}

export { HistoryFile } from './history-file.js';
export { HistoryWriter } from './history-writer.js';
