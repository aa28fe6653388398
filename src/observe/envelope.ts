// The envelope faultline puts in every event: run, producer, sequence number, key and intended send time.
//
// Binary, 28 bytes, little-endian, so the send loop and the delivery handler never touch JSON:
//   0 magic 0xFA17 (u16) · 2 version (u8) · 3 flags (u8) · 4 run tag (u32) · 8 producer (u32)
//   12 seq (u32) · 16 key index (u32) · 20 intended send time, ms since the epoch (f64)
// The event id is `producer:seq`; the idempotency key is `<runId>:<producer>:<seq>`; the key is `k<index>`.

export const ENVELOPE_BYTES = 28;
const MAGIC = 0xfa17;
const VERSION = 1;

export interface Envelope {
  runTag: number;
  producer: number;
  seq: number;
  key: number;
  intendedAt: number;
}

/** The one string hash: 32-bit FNV-1a. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The run id's hash: events of other runs are told apart without strings. */
export const runTagOf = (runId: string): number => fnv1a(runId);

export const keyName = (key: number): string => `k${key}`;
export const eventId = (producer: number, seq: number): string => `${producer}:${seq}`;

/** Writes the envelope at the start of `buf` (which must hold ENVELOPE_BYTES). */
export function writeEnvelope(buf: Uint8Array, runTag: number, producer: number, seq: number, key: number, intendedAt: number): void {
  const v = new DataView(buf.buffer, buf.byteOffset, ENVELOPE_BYTES);
  v.setUint16(0, MAGIC, true);
  v.setUint8(2, VERSION);
  v.setUint8(3, 0);
  v.setUint32(4, runTag, true);
  v.setUint32(8, producer, true);
  v.setUint32(12, seq, true);
  v.setUint32(16, key, true);
  v.setFloat64(20, intendedAt, true);
}

/** Why an envelope could not be read, or null when `out` was filled. */
export type DecodeFailure = 'short' | 'magic' | 'version' | null;

/** Reads an envelope into `out` (reused by the caller: no allocation per delivery). */
export function readEnvelope(data: Uint8Array, out: Envelope): DecodeFailure {
  if (data.byteLength < ENVELOPE_BYTES) return 'short';
  const v = new DataView(data.buffer, data.byteOffset, ENVELOPE_BYTES);
  if (v.getUint16(0, true) !== MAGIC) return 'magic';
  if (v.getUint8(2) !== VERSION) return 'version';
  out.runTag = v.getUint32(4, true);
  out.producer = v.getUint32(8, true);
  out.seq = v.getUint32(12, true);
  out.key = v.getUint32(16, true);
  out.intendedAt = v.getFloat64(20, true);
  return Number.isFinite(out.intendedAt) ? null : 'magic';
}

export const emptyEnvelope = (): Envelope => ({ runTag: 0, producer: 0, seq: 0, key: 0, intendedAt: 0 });
