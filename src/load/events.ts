// The events a producer sends: seeded keys (uniform or Zipf) and sizes, and a payload of the
// envelope followed by filler up to the event's size.
import type { Random } from '../clock.js';
import { ENVELOPE_BYTES, writeEnvelope } from '../observe/envelope.js';
import { KeyGenerator, SizeGenerator } from './keys.js';

export class EventFactory {
  private readonly keys: KeyGenerator;
  private readonly sizes: SizeGenerator;
  private readonly filler: Uint8Array;

  constructor(rng: Random, keys: { count: number; distribution: 'uniform' | 'zipf'; exponent: number }, size: { min: number; max: number }) {
    this.keys = new KeyGenerator(rng.fork(1), keys.count, keys.distribution, keys.exponent);
    this.sizes = new SizeGenerator(rng.fork(2), size.min, size.max);
    const fill = rng.fork(3);
    this.filler = new Uint8Array(Math.max(size.max, ENVELOPE_BYTES));
    for (let i = 0; i < this.filler.length; i++) this.filler[i] = 32 + fill.int(95);
  }

  /** The next event of `producer`: its key, and its payload with the envelope stamped. */
  next(runTag: number, producer: number, seq: number, intendedAt: number): { key: number; payload: Buffer } {
    const key = this.keys.next();
    const size = Math.max(this.sizes.next(), ENVELOPE_BYTES);
    const payload = Buffer.allocUnsafe(size);
    payload.set(this.filler.subarray(ENVELOPE_BYTES, size), ENVELOPE_BYTES);
    writeEnvelope(payload, runTag, producer, seq, key, intendedAt);
    return { key, payload };
  }
}
