// Writes a run's history (observations.bin, docs/observations.md) in blocks as it runs: sends, deliveries,
// where events were placed and read from, dead letters, the final read and notes; every block in one write.
import { closeSync, openSync, writeSync } from 'node:fs';
import { BLOCK_HEADER_BYTES, BlockKind, HEADER_BYTES, HISTORY_VERSION, MAGIC, SHARED_LOG, type HistoryMeta, type Note } from './history.js';
import { LOG_BLOCK, LogColumns } from './log-columns.js';
import type { OutcomeCode } from './outcome.js';

const SEND_BYTES = 37;
const DELIVERY_BYTES = 16;
const SEND_BLOCK = 4096;
const DELIVERY_BLOCK = 8192;
/** A delivery block's offsets are µs in a u32 from its base: start a new block well before they overflow. */
const DELIVERY_SPAN_MS = 3_000_000;

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

/** Reads: located deliveries, the member in `key`, and when each was read. */
class ReadColumns extends LogColumns {
  readonly at = new Float64Array(LOG_BLOCK);
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
  private readonly placed = new LogColumns();
  private readonly reads: ReadColumns[];
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
    this.reads = Array.from({ length: meta.subscriptions }, () => new ReadColumns());
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
    if (this.placed.push(producer, seq, key, partition, position)) this.flushPlacements();
  }

  /** Where a delivery to a subscription was read from (partition, position), by which of its members, and when (ms since the load started). */
  readFrom(subscription: number, producer: number, seq: number, member: number, partition: number, position: number, at: number): void {
    const c = this.reads[subscription];
    c.at[c.n] = at;
    if (c.push(producer, seq, member, partition, position)) this.flushReads(subscription);
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

  private flushReads(s: number): void {
    const c = this.reads[s];
    if (c.n === 0 || this.closed) return;
    const n = c.n;
    this.write([blockHeader(BlockKind.reads, s, n, n * 32), bytesOf(c.position, n, 8), bytesOf(c.at, n, 8), bytesOf(c.producer, n, 4), bytesOf(c.seq, n, 4), bytesOf(c.key, n, 4), bytesOf(c.partition, n, 4)]);
    c.n = 0;
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
      this.flushReads(s);
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
