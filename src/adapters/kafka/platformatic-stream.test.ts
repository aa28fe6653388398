// ReopeningStream against fake consumers that fail the way @platformatic/kafka 1.35 did on the 3-node
// cluster with the group's coordinator killed: a join that fails, a consume that never answers, a
// stream whose close never finishes. Each must end in a new consumer that delivers.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReopeningStream } from './platformatic-stream.js';

type Fake = { id: number; consume: () => Promise<EventEmitter>; streams: FakeStream[] };

class FakeStream extends EventEmitter {
  constructor(private readonly closes = true) {
    super();
  }
  pause(): void {}
  resume(): void {}
  close(): Promise<void> {
    return this.closes ? Promise.resolve() : new Promise(() => undefined);
  }
}

/** A consumer whose n-th consume does what `plan[n]` says: give a stream, fail, or never answer. */
function fake(id: number, plan: ('stream' | 'fail' | 'hang' | 'stuck-stream')[]): Fake {
  const f: Fake = { id, streams: [], consume: async () => Promise.reject(new Error('no plan')) };
  let n = 0;
  f.consume = () => {
    const step = plan[Math.min(n++, plan.length - 1)];
    if (step === 'fail') return Promise.reject(new Error('joinGroup failed 11 times.'));
    if (step === 'hang') return new Promise(() => undefined);
    const s = new FakeStream(step === 'stream');
    f.streams.push(s);
    return Promise.resolve(s);
  };
  return f;
}

function harness(first: Fake, next: Fake[]) {
  const failures: string[] = [];
  const delivered: number[] = [];
  const renewed: number[] = [];
  const stream = new ReopeningStream(
    first as never,
    { topics: ['t'] } as never,
    (m) => void delivered.push((m as unknown as { offset: number }).offset),
    (err, then) => failures.push(`${(err as Error).message} → ${then}`),
    async (old) => {
      renewed.push((old as unknown as Fake).id);
      return next.shift() as never;
    },
  );
  return { stream, failures, delivered, renewed };
}

describe('ReopeningStream', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] }));
  afterEach(() => void vi.useRealTimers());

  it('an ended stream is opened again on the same consumer; a failed join moves to a new consumer, which delivers', async () => {
    const a = fake(1, ['stream', 'fail']);
    const b = fake(2, ['stream']);
    const h = harness(a, [b]);
    await h.stream.open();
    a.streams[0]!.emit('error', new Error('fetch failed 11 times.'));
    await vi.advanceTimersByTimeAsync(600);
    // the reopen on consumer 1 failed its join: consumer 2 in its place
    expect(h.renewed).toEqual([1]);
    await vi.advanceTimersByTimeAsync(600);
    b.streams[0]!.emit('data', { offset: 7 });
    expect(h.delivered).toEqual([7]);
    expect(h.failures).toEqual(['fetch failed 11 times. → the client ended its message stream, faultline opens a new one', 'joinGroup failed 11 times. → opening a stream failed; faultline replaces the consumer with a new one']);
    await h.stream.close();
  });

  it('a consume that never answers is given up after 15 s, on a new consumer', async () => {
    const a = fake(1, ['stream', 'hang']);
    const b = fake(2, ['stream']);
    const h = harness(a, [b]);
    await h.stream.open();
    a.streams[0]!.emit('error', new Error('fetch failed 11 times.'));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(h.renewed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1200);
    expect(h.renewed).toEqual([1]);
    expect(b.streams).toHaveLength(1);
    expect(h.failures[1]).toMatch(/no answer in 15000 ms → opening a stream failed/);
    await h.stream.close();
  });

  it('a quiet stream whose close never finishes is still replaced, within 5 s of the watchdog', async () => {
    const a = fake(1, ['stuck-stream']);
    const b = fake(2, ['stream']);
    const h = harness(a, [b]);
    await h.stream.open();
    h.stream.watch(10_000, async () => true);
    await vi.advanceTimersByTimeAsync(12_500);
    expect(h.failures).toEqual(['the stream handed over nothing for 10.0 s while its group had events to read → faultline replaces the consumer with a new one']);
    expect(h.renewed).toEqual([]);
    await vi.advanceTimersByTimeAsync(5600);
    expect(h.renewed).toEqual([1]);
    expect(b.streams).toHaveLength(1);
    await h.stream.close();
  });
});
