// The read of what is left in a RabbitMQ queue, against a fake channel: it proves a loss only when
// faultline's consumers hold nothing unacknowledged, and gives back everything it took.
import { describe, expect, it } from 'vitest';
import { rabbitmqTarget } from './config.js';
import { finalReadUnavailable, readQueues } from './final-read.js';

const target = (extra: object = {}) => rabbitmqTarget.parse({ adapter: 'rabbitmq', ...extra });

function fakeModel(left: string[]) {
  const given: string[] = [];
  let closed = false;
  const ch = {
    on: () => undefined,
    get: async () => {
      const m = left.shift();
      if (m) given.push(m);
      return m ? { content: Buffer.from(m) } : false;
    },
    close: async () => void (closed = true),
  };
  return { model: { createChannel: async () => ch } as never, given, isClosed: () => closed };
}

function sink() {
  const read: { text: string; position: number }[] = [];
  return { read, sink: { payload: (b: Uint8Array, _p: number, position: number) => void read.push({ text: Buffer.from(b).toString(), position }), event: () => undefined } };
}

describe('the final read of a RabbitMQ queue', () => {
  it('reads what is left, in order, gives it all back, and is complete while the consumers hold nothing', async () => {
    const f = fakeModel(['a', 'b', 'c']);
    const s = sink();
    expect(await readQueues(f.model, target(), [{ queue: 'q' }], s.sink, 5000, () => 0)).toEqual({ complete: true });
    expect(s.read).toEqual([
      { text: 'a', position: 0 },
      { text: 'b', position: 1 },
      { text: 'c', position: 2 },
    ]);
    // taken unacknowledged and the channel closed: the broker requeues them
    expect(f.isClosed()).toBe(true);
  });

  it('is not proof while a consumer holds messages it has not handled: they are in neither the queue nor the history', async () => {
    const f = fakeModel(['a']);
    const r = await readQueues(f.model, target(), [{ queue: 'q' }], sink().sink, 5000, () => 3);
    expect(r).toMatchObject({ complete: false, why: expect.stringMatching(/held 3 messages unacknowledged/) });
  });

  it('says why no read proves a loss with automatic acks or several workers; a stream and a single process can', () => {
    expect(finalReadUnavailable(target({ consumer: { ack: 'auto' } }), { shard: undefined } as never)).toMatch(/automatic acks/);
    expect(finalReadUnavailable(target(), { shard: { index: 0, count: 2 } } as never)).toMatch(/other workers/);
    expect(finalReadUnavailable(target(), {} as never)).toBeUndefined();
    expect(finalReadUnavailable(target({ queue: { type: 'stream' }, consumer: { ack: 'auto' } }), {} as never)).toBeUndefined();
  });
});
