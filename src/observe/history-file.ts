// A stored history (observations.bin) read back block by block: memory stays bounded by one block, and
// a file that ends inside a block (a run killed mid-write) is read up to its last complete one.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { BlockKind, HEADER_BYTES, BLOCK_HEADER_BYTES, HISTORY_VERSION, MAGIC, HistoryFormatError, type DeliveryBlock, type FinalReadBlock, type ReadBlock, type History, type HistoryMeta, type Note, type SendBlock } from './history.js';

/** A stored history, read block by block (memory stays bounded by one block). */
export class HistoryFile implements History {
  readonly meta: HistoryMeta;
  /** The file ends inside a block (a run killed mid-write): everything before it is read. */
  truncated = false;
  private readonly dataStart: number;

  constructor(readonly file: string) {
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(HEADER_BYTES);
      if (readSync(fd, head, 0, HEADER_BYTES, 0) < HEADER_BYTES || head.toString('ascii', 0, 8) !== MAGIC) throw new HistoryFormatError(`${file} is not a faultline observation history`);
      const version = head.readUInt16LE(8);
      if (version !== HISTORY_VERSION) throw new HistoryFormatError(`${file} is history format ${version}; this faultline reads format ${HISTORY_VERSION}`);
      const len = head.readUInt32LE(12);
      const json = Buffer.alloc(len);
      if (readSync(fd, json, 0, len, HEADER_BYTES) < len) throw new HistoryFormatError(`${file} ends inside its header`);
      this.meta = JSON.parse(json.toString('utf8')) as HistoryMeta;
      this.dataStart = HEADER_BYTES + len;
    } finally {
      closeSync(fd);
    }
  }

  *sends(): Generator<SendBlock> {
    for (const { kind, count: n, data } of this.blocks()) {
      if (kind !== BlockKind.sends) continue;
      const ab = data.buffer;
      let o = data.byteOffset;
      const f64 = () => {
        const a = new Float64Array(ab, o, n);
        o += n * 8;
        return a;
      };
      const u32 = () => {
        const a = new Uint32Array(ab, o, n);
        o += n * 4;
        return a;
      };
      const intended = f64();
      const sent = f64();
      const answered = f64();
      const producer = u32();
      const seq = u32();
      const key = u32();
      yield { n, intended, sent, answered, producer, seq, key, outcome: new Uint8Array(ab, o, n) };
    }
  }

  deliveries(): Generator<DeliveryBlock> {
    return this.deliveryBlocks(BlockKind.deliveries);
  }

  deadLetters(): Generator<DeliveryBlock> {
    return this.deliveryBlocks(BlockKind.deadLetters);
  }

  finalReads(): Generator<FinalReadBlock> {
    return this.logBlocks(BlockKind.finalRead);
  }

  placements(): Generator<FinalReadBlock> {
    return this.logBlocks(BlockKind.placements);
  }

  *reads(): Generator<ReadBlock> {
    for (const { kind, subscription, count: n, data } of this.blocks()) {
      if (kind !== BlockKind.reads) continue;
      const ab = data.buffer;
      const f64 = (i: number) => new Float64Array(ab, data.byteOffset + i * n * 8, n);
      const u32 = (i: number) => new Uint32Array(ab, data.byteOffset + n * 16 + i * n * 4, n);
      yield { n, subscription, position: f64(0), at: f64(1), producer: u32(0), seq: u32(1), member: u32(2), partition: u32(3) };
    }
  }

  private *logBlocks(want: number): Generator<FinalReadBlock> {
    for (const { kind, subscription, count: n, data } of this.blocks()) {
      if (kind !== want) continue;
      const ab = data.buffer;
      const col = (i: number) => new Uint32Array(ab, data.byteOffset + n * 8 + i * n * 4, n);
      yield { n, subscription, position: new Float64Array(ab, data.byteOffset, n), producer: col(0), seq: col(1), key: col(2), partition: col(3) };
    }
  }

  private *deliveryBlocks(want: number): Generator<DeliveryBlock> {
    for (const { kind, subscription, count: n, data } of this.blocks()) {
      if (kind !== want) continue;
      const ab = data.buffer;
      const base = new Float64Array(ab, data.byteOffset, 1)[0];
      const col = (i: number) => new Uint32Array(ab, data.byteOffset + 8 + i * n * 4, n);
      yield { n, subscription, base, producer: col(0), seq: col(1), key: col(2), offsetUs: col(3) };
    }
  }

  notes(): Note[] {
    const out: Note[] = [];
    for (const { kind, data } of this.blocks()) if (kind === BlockKind.note) out.push(JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')) as Note);
    return out;
  }

  private *blocks(): Generator<{ kind: number; subscription: number; count: number; data: Uint8Array }> {
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      const head = Buffer.alloc(BLOCK_HEADER_BYTES);
      let pos = this.dataStart;
      while (pos < size) {
        if (pos + BLOCK_HEADER_BYTES > size) break;
        readSync(fd, head, 0, BLOCK_HEADER_BYTES, pos);
        const bytes = head.readUInt32LE(8);
        if (pos + BLOCK_HEADER_BYTES + bytes > size) break;
        // A fresh, aligned buffer per block: typed-array columns are views on it.
        const data = new Uint8Array(new ArrayBuffer(bytes));
        readSync(fd, data, 0, bytes, pos + BLOCK_HEADER_BYTES);
        pos += BLOCK_HEADER_BYTES + bytes;
        yield { kind: head.readUInt8(0), subscription: head.readUInt16LE(2), count: head.readUInt32LE(4), data };
      }
      this.truncated = pos < size;
    } finally {
      closeSync(fd);
    }
  }
}
