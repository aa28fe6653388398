// The observation history of a run (`<run>/observations.bin`): every send's outcome and times, every
// delivery and dead letter, the fault log and the run's end, streamed to disk in blocks. Checkers read
// only this. The format is written down in docs/observations.md; bump HISTORY_VERSION on any change
// that an older reader would misread (a new block kind is skipped by older readers).
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Note } from './notes.js';
import type { OutcomeCode } from './outcome.js';

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
 * acknowledged sends (laid out as a final read block).
 */
export const BlockKind = { sends: 1, deliveries: 2, note: 3, deadLetters: 4, finalRead: 5, placements: 6 } as const;
/** A final read's subscription field when the read is of the one log every subscription reads. */
export const SHARED_LOG = 0xffff;
/** A delivery whose envelope could not be read; its `seq` is the reason. */
export const UNREADABLE = 0xffffffff;
/** A delivery of another run's event (e.g. a leftover in a reused topic). */
export const FOREIGN = 0xfffffffe;
export const UNREADABLE_REASON = { short: 1, magic: 2, version: 3 } as const;

const SEND_BYTES = 37;
const DELIVERY_BYTES = 16;
const SEND_BLOCK = 4096;
const DELIVERY_BLOCK = 8192;
/** A delivery block's offsets are µs in a u32 from its base: start a new block well before they overflow. */
const DELIVERY_SPAN_MS = 3_000_000;

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

class SendColumns {
  n = 0;
  readonly intended = new Float64Array(SEND_BLOCK);
  readonly sent = new Float64Array(SEND_BLOCK);
  readonly answered = new Float64Array(SEND_BLOCK);
  readonly producer = new Uint32Array(SEND_BLOCK);
  readonly seq = new Uint32Array(SEND_BLOCK);
  readonly key = new Uint32Array(SEND_BLOCK);
  readonly outcome = new Uint8Array(SEND_BLOCK);
}

class PlacementColumns {
  n = 0;
  readonly producer = new Uint32Array(SEND_BLOCK);
  readonly seq = new Uint32Array(SEND_BLOCK);
  readonly key = new Uint32Array(SEND_BLOCK);
  readonly partition = new Uint32Array(SEND_BLOCK);
  readonly position = new Float64Array(SEND_BLOCK);
}

class DeliveryColumns {
  n = 0;
  base = 0;
  readonly producer = new Uint32Array(DELIVERY_BLOCK);
  readonly seq = new Uint32Array(DELIVERY_BLOCK);
  readonly key = new Uint32Array(DELIVERY_BLOCK);
  readonly offsetUs = new Uint32Array(DELIVERY_BLOCK);
}

function blockHeader(kind: number, subscription: number, count: number, bytes: number): Buffer {
  const h = Buffer.alloc(BLOCK_HEADER_BYTES);
  h.writeUInt8(kind, 0);
  h.writeUInt16LE(subscription, 2);
  h.writeUInt32LE(count, 4);
  h.writeUInt32LE(bytes, 8);
  return h;
}

const bytesOf = (a: ArrayBufferView, n: number, width: number) => Buffer.from(a.buffer, a.byteOffset, n * width);

/** Appends observations to a history file in blocks; a run killed with -9 leaves every complete block readable. */
export class HistoryWriter {
  private readonly fd: number;
  private readonly sends = new SendColumns();
  private readonly deliveries: DeliveryColumns[];
  private readonly deadLetters: DeliveryColumns[];
  private readonly placed = new PlacementColumns();
  private closed = false;
  bytesWritten = 0;

  constructor(
    readonly file: string,
    meta: HistoryMeta,
  ) {
    this.fd = openSync(file, 'w');
    const json = Buffer.from(JSON.stringify(meta), 'utf8');
    const head = Buffer.alloc(HEADER_BYTES);
    head.write(MAGIC, 0, 'ascii');
    head.writeUInt16LE(HISTORY_VERSION, 8);
    head.writeUInt32LE(json.length, 12);
    this.write([head, json]);
    this.deliveries = Array.from({ length: meta.subscriptions }, () => new DeliveryColumns());
    this.deadLetters = Array.from({ length: meta.subscriptions }, () => new DeliveryColumns());
  }

  /** One send and its final outcome (or Outcome.pending with answered NaN: never answered). Times in ms since the load started. */
  send(producer: number, seq: number, key: number, outcome: OutcomeCode, intended: number, sent: number, answered: number): void {
    const c = this.sends;
    const i = c.n++;
    c.producer[i] = producer;
    c.seq[i] = seq;
    c.key[i] = key;
    c.outcome[i] = outcome;
    c.intended[i] = intended;
    c.sent[i] = sent;
    c.answered[i] = answered;
    if (c.n === SEND_BLOCK) this.flushSends();
  }

  /** Where the broker put an acknowledged send, as its answer said (Kafka partition and offset, stream sequence). */
  placement(producer: number, seq: number, key: number, partition: number, position: number): void {
    const c = this.placed;
    const i = c.n++;
    c.producer[i] = producer;
    c.seq[i] = seq;
    c.key[i] = key;
    c.partition[i] = partition;
    c.position[i] = position;
    if (c.n === SEND_BLOCK) this.flushPlacements();
  }

  /** One delivery to a subscription at `at` ms since the load started (producer FOREIGN or UNREADABLE for the odd ones). */
  deliver(subscription: number, producer: number, seq: number, key: number, at: number): void {
    this.append(BlockKind.deliveries, this.deliveries, subscription, producer, seq, key, at);
  }

  /** One delivery from subscription s's dead-letter queue, at `at` ms since the load started. */
  deadLetter(subscription: number, producer: number, seq: number, key: number, at: number): void {
    this.append(BlockKind.deadLetters, this.deadLetters, subscription, producer, seq, key, at);
  }

  private append(kind: number, columns: DeliveryColumns[], subscription: number, producer: number, seq: number, key: number, at: number): void {
    const c = columns[subscription];
    if (c.n > 0 && at - c.base > DELIVERY_SPAN_MS) this.flushDeliveries(kind, c, subscription);
    if (c.n === 0) c.base = Math.floor(at);
    const i = c.n++;
    c.producer[i] = producer;
    c.seq[i] = seq;
    c.key[i] = key;
    const us = Math.round((at - c.base) * 1000);
    c.offsetUs[i] = us > 0 ? us : 0;
    if (c.n === DELIVERY_BLOCK) this.flushDeliveries(kind, c, subscription);
  }

  /** Events a final read found, one block per call (a final read hands them over in batches). */
  finalRead(subscription: number, producer: ArrayLike<number>, seq: ArrayLike<number>, key: ArrayLike<number>, partition: ArrayLike<number>, position: ArrayLike<number>, n: number): void {
    if (n === 0 || this.closed) return;
    this.flush();
    this.writeLog(BlockKind.finalRead, subscription, producer, seq, key, partition, position, n);
  }

  private writeLog(kind: number, subscription: number, producer: ArrayLike<number>, seq: ArrayLike<number>, key: ArrayLike<number>, partition: ArrayLike<number>, position: ArrayLike<number>, n: number): void {
    const u32 = (a: ArrayLike<number>) => Buffer.from(Uint32Array.from({ length: n }, (_, i) => a[i]).buffer);
    const f64 = Buffer.from(Float64Array.from({ length: n }, (_, i) => position[i]).buffer);
    this.write([blockHeader(kind, subscription, n, n * 24), f64, u32(producer), u32(seq), u32(key), u32(partition)]);
  }

  private flushPlacements(): void {
    const c = this.placed;
    if (c.n === 0 || this.closed) return;
    this.writeLog(BlockKind.placements, SHARED_LOG, c.producer, c.seq, c.key, c.partition, c.position, c.n);
    c.n = 0;
  }

  /** A JSON note, written at once (with every observation buffered before it). */
  note(note: Note): void {
    this.flush();
    const json = Buffer.from(JSON.stringify(note), 'utf8');
    this.write([blockHeader(BlockKind.note, 0, 1, json.length), json]);
  }

  /** Writes every buffered observation (called each second, so a killed run loses at most a second). */
  flush(): void {
    if (this.closed) return;
    this.flushSends();
    this.flushPlacements();
    for (let s = 0; s < this.deliveries.length; s++) {
      this.flushDeliveries(BlockKind.deliveries, this.deliveries[s], s);
      this.flushDeliveries(BlockKind.deadLetters, this.deadLetters[s], s);
    }
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }

  private flushSends(): void {
    const c = this.sends;
    const n = c.n;
    if (n === 0 || this.closed) return;
    this.write([blockHeader(BlockKind.sends, 0, n, n * SEND_BYTES), bytesOf(c.intended, n, 8), bytesOf(c.sent, n, 8), bytesOf(c.answered, n, 8), bytesOf(c.producer, n, 4), bytesOf(c.seq, n, 4), bytesOf(c.key, n, 4), bytesOf(c.outcome, n, 1)]);
    c.n = 0;
  }

  private flushDeliveries(kind: number, c: DeliveryColumns, s: number): void {
    const n = c.n;
    if (n === 0 || this.closed) return;
    const base = Buffer.alloc(8);
    base.writeDoubleLE(c.base, 0);
    this.write([blockHeader(kind, s, n, 8 + n * DELIVERY_BYTES), base, bytesOf(c.producer, n, 4), bytesOf(c.seq, n, 4), bytesOf(c.key, n, 4), bytesOf(c.offsetUs, n, 4)]);
    c.n = 0;
  }

  private write(parts: Buffer[]): void {
    // One write per block, so a crash never leaves half a header followed by another block.
    const buf = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off);
    this.bytesWritten += buf.length;
  }
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
  notes(): Note[];
}

export class HistoryFormatError extends Error {}

export { HistoryFile } from './history-file.js';
