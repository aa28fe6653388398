// Checkers are pure functions of a history: fed the same observations in any arrival order they give
// the same verdicts, and what a run wrote reads back block by block, even from a truncated file.
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { ENVELOPE_BYTES, runTagOf, writeEnvelope } from '../observe/envelope.js';
import { initHistograms } from '../observe/histograms.js';
import { HistoryFile, HistoryWriter, type HistoryMeta } from '../observe/history.js';
import { Outcome } from '../observe/outcome.js';
import { Recorder } from '../observe/recorder.js';
import { planRun, type RunPlan } from '../plan/plan.js';
import { parseScenario } from '../scenario/load.js';
import { checkAll } from './registry.js';

let dir: string;
let plan: RunPlan;
beforeAll(async () => {
  await initHistograms();
  dir = mkdtempSync(path.join(os.tmpdir(), 'fl-history-'));
  plan = await planRun(parseScenario('name: h\ntargets: { m: { adapter: memory } }\nworkload: { rate: 10/s, duration: 2s, message: { keys: { count: 2 } } }\nexpect: { ordering: per-key, effects: exactly-once }\n', 'h.yaml').scenario);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta = (over: Partial<HistoryMeta> = {}): HistoryMeta => ({ format: 1, runId: 'r', runTag: 1, targetName: 'm', seed: 1, scenario: {}, producers: 1, subscriptions: 1, keys: 2, dedupeEffects: false, startedAt: '2026-11-28T00:00:00Z', ...over });
let files = 0;
/** A history of a run that ended (its end note written last), or of one killed before it could say (`ended` false). */
const write = (fill: (w: HistoryWriter) => void, m = meta(), ended = true) => {
  const w = new HistoryWriter(path.join(dir, `h${files++}.bin`), m);
  fill(w);
  if (ended) w.note({ type: 'end', status: 'passed', startedAt: m.startedAt, endedAt: m.startedAt, adapterStats: {} });
  w.close();
  return new HistoryFile(w.file);
};

describe('checkers over a history', () => {
  it("Jepsen's log anomalies from positions and a final read: overwritten, lost, unseen and written twice, each by the amount put in", () => {
    // 8 acknowledged sends placed at offsets 0..7 of partition 0; event 0 delivered; the log read back
    // after a leader change holds: event 1 at 1 (unseen), event 2 at 2 and 8 (written twice, delivered),
    // events 6 and 7 at offsets 3 and 4 (where events 3 and 4 were acknowledged: overwritten), and
    // nothing at 5 or beyond (event 5: lost, its offset past the log's end).
    const h = write((w) => {
      for (let seq = 0; seq < 8; seq++) {
        w.send(0, seq, seq % 2, Outcome.ok, seq, seq, seq + 1);
        w.placement(0, seq, seq % 2, 0, seq);
      }
      w.deliver(0, 0, 0, 0, 10);
      w.deliver(0, 0, 2, 0, 11);
      w.deliver(0, 0, 2, 0, 12);
      w.finalRead(0xffff, [0, 0, 0, 0, 0, 0], [0, 1, 2, 6, 7, 2], [0, 1, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0], [0, 1, 2, 3, 4, 8], 6);
      w.note({ type: 'final-read', source: 'test', events: 6, complete: true });
    });
    const d = checkAll(h, plan).verdicts.delivery!;
    expect(d.counts).toMatchObject({ acked: 8, delivered: 2, unseen: 3, lost: 3, overwritten: 2, duplicateWrites: 1, duplicated: 1 });
    expect(d.valid).toBe(false);
    // events 0, 1 and 2 are where their acknowledgements put them
    expect(d.positions).toEqual({ placed: 8, confirmed: 3 });
    expect(d.why).toMatch(/3 acknowledged events lost \(absent from the final read, 2 of them at acknowledged positions that now hold other events/);
    expect(d.samples.lost.map((x) => [x.id, x.at])).toEqual([
      ['0:3', [[0, 3]]],
      ['0:4', [[0, 4]]],
      ['0:5', [[0, 5]]],
    ]);
    expect(d.samples.duplicateWrites.map((x) => [x.id, x.at])).toEqual([
      [
        '0:2',
        [
          [0, 2],
          [0, 8],
        ],
      ],
    ]);
  });

  it('a phantom write gets the same verdict whether its delivery or its failed answer comes first', () => {
    const send = (w: HistoryWriter) => {
      w.send(0, 0, 0, Outcome.ok, 0, 0, 1);
      w.send(0, 1, 1, Outcome.failed, 0, 0, 5);
    };
    const deliver = (w: HistoryWriter) => {
      w.deliver(0, 0, 0, 0, 2);
      w.deliver(0, 0, 1, 1, 3);
    };
    const deliveryFirst = checkAll(
      write((w) => (deliver(w), w.flush(), send(w))),
      plan,
    ).verdicts.delivery!;
    const answerFirst = checkAll(
      write((w) => (send(w), w.flush(), deliver(w))),
      plan,
    ).verdicts.delivery!;
    expect(deliveryFirst.counts).toEqual(answerFirst.counts);
    expect(answerFirst.counts).toMatchObject({ attempted: 2, acked: 1, failed: 1, delivered: 1, unexpected: 1, recovered: 0, lost: 0 });
    expect(answerFirst.valid).toBe(false);
    expect(answerFirst.samples.unexpected).toEqual(['0:1: sent with a definite failure (phantom write)']);
  });

  it('counts lost (split), duplicated, reordered, recovered and effects, with the keys of the samples', () => {
    const h = write((w) => {
      for (let seq = 0; seq < 10; seq++) w.send(0, seq, seq % 2, seq === 9 ? Outcome.pending : Outcome.ok, seq * 100, seq * 100, seq === 9 ? NaN : seq * 100 + 1);
      // delivered: 2, 3, 6 (twice), then 4 after 6 (same key 0: reordered), and 9 (never answered: recovered)
      for (const [seq, at] of [
        [2, 210],
        [3, 310],
        [6, 610],
        [6, 620],
        [4, 630],
        [9, 950],
      ])
        w.deliver(0, 0, seq, seq % 2, at);
    });
    const { verdicts, summary } = checkAll(h, plan);
    expect(verdicts.delivery!.counts).toMatchObject({ attempted: 10, acked: 9, indeterminate: 1, delivered: 5, lost: 5, duplicated: 1, duplicateDeliveries: 1, recovered: 1, unexpected: 0 });
    // 9 (recovered) is the last delivered: 5, 7 and 8 fall between deliveries
    expect(verdicts.delivery!.lostSplit).toEqual({ beforeFirstDelivery: 2, betweenDeliveries: 3, afterLastDelivery: 0 });
    expect(verdicts.delivery!.samples.lost.map((s) => [s.seq, s.key])).toEqual([
      [0, 0],
      [1, 1],
      [5, 1],
      [7, 1],
      [8, 0],
    ]);
    expect(verdicts.order!.counts.reordered).toBe(1);
    expect(verdicts.order!.samples.reordered[0]).toMatchObject({ seq: 4, key: 0 });
    expect(verdicts.effects!.counts).toMatchObject({ effects: 6, idempotencyViolations: 1 });
    expect(summary).toMatchObject({ delivery: { valid: false }, order: { valid: false }, effects: { valid: false }, latency: { valid: true } });
    expect(verdicts.latency!.counts.overall.e2e).toMatchObject({ count: 5, min: 10, max: 230 });
  });

  it('with de-duplicated effects a redelivery applies no second effect', () => {
    const h = write(
      (w) => {
        w.send(0, 0, 0, Outcome.ok, 0, 0, 1);
        w.deliver(0, 0, 0, 0, 2);
        w.deliver(0, 0, 0, 0, 3);
      },
      meta({ dedupeEffects: true }),
    );
    expect(checkAll(h, plan).verdicts.effects!.counts).toMatchObject({ effects: 1, idempotencyViolations: 0 });
  });

  it('the live recorder writes unreadable envelopes and other runs’ events, which never crash it', () => {
    const h = write((w) => {
      const rec = new Recorder({ clock: systemClock, runTag: runTagOf('me'), producers: 1, subscriptions: 1, history: w });
      rec.start(systemClock.now());
      rec.delivered(new Uint8Array([1, 2, 3]), 0);
      rec.delivered(new Uint8Array(ENVELOPE_BYTES).fill(7), 0);
      const other = new Uint8Array(ENVELOPE_BYTES);
      writeEnvelope(other, runTagOf('someone else'), 0, 0, 0, systemClock.now());
      rec.delivered(other, 0);
      rec.destroy();
    });
    const d = checkAll(h, plan).verdicts.delivery!;
    expect(d.counts.unexpected).toBe(2);
    expect(d.foreign).toBe(1);
    expect(d.samples.unexpected).toEqual(['unreadable envelope: too short', 'unreadable envelope: bad magic']);
  });

  it('the drain waits for every acknowledged event, not for as many deliveries: a recovered event does not stand in for a missing one', () => {
    write((w) => {
      const rec = new Recorder({ clock: systemClock, runTag: runTagOf('me'), producers: 1, subscriptions: 1, history: w });
      const t0 = systemClock.now();
      rec.start(t0);
      const event = (seq: number) => {
        const e = new Uint8Array(ENVELOPE_BYTES);
        writeEnvelope(e, runTagOf('me'), 0, seq, 0, t0);
        return e;
      };
      rec.sent(0, 3);
      rec.settled(0, 0, 0, Outcome.ok, t0, t0, t0 + 1);
      rec.settled(0, 1, 0, Outcome.indeterminate, t0, t0, t0 + 1);
      rec.delivered(event(1), 0); // the indeterminate one arrives: recovered
      expect(rec.distinct[0]).toBe(rec.acked); // a count of deliveries would call this caught up
      expect(rec.caughtUp()).toBe(false); // but acknowledged event 0 has not arrived
      rec.delivered(event(2), 0); // delivered before its answer
      rec.settled(0, 2, 0, Outcome.ok, t0, t0, t0 + 2);
      expect(rec.caughtUp()).toBe(false);
      rec.delivered(event(0), 0);
      expect(rec.caughtUp()).toBe(true);
      rec.destroy();
    });
  });

  it('stores a delivery in 16 bytes, and a killed run’s truncated file reads up to its last complete block', () => {
    const N = 20_000;
    const h = write(
      (w) => {
        for (let i = 0; i < N; i++) w.send(0, i, i % 2, Outcome.ok, i, i, i + 1);
        w.flush();
        const before = statSync(w.file).size;
        for (let i = 0; i < N; i++) w.deliver(0, 0, i, i % 2, i + 2);
        w.flush();
        expect((statSync(w.file).size - before) / N).toBeLessThanOrEqual(16.01);
      },
      meta(),
      false,
    );
    expect(checkAll(h, plan).verdicts.delivery!.counts).toMatchObject({ attempted: N, delivered: N, lost: 0 });
    const cut = path.join(dir, 'cut.bin');
    writeFileSync(cut, readFileSync(h.file));
    truncateSync(cut, statSync(cut).size - 100);
    const partial = new HistoryFile(cut);
    const d = checkAll(partial, plan).verdicts.delivery!;
    expect(partial.truncated).toBe(true);
    // the last delivery block (8,192 deliveries at most) is gone; every earlier one is read, and what
    // the killed run had not yet seen delivered is pending, not lost
    expect(d.counts.delivered).toBeGreaterThanOrEqual(N - 8192);
    expect(d.counts.delivered).toBeLessThan(N);
    expect(d.counts.pending).toBe(N - d.counts.delivered);
    expect(d.counts.lost).toBe(0);
    expect(d.valid).toBe('unknown');
  });
});

describe('what a result shows', () => {
  it('masks secrets in every output and prints outside text inert on the terminal', async () => {
    const { buildResult } = await import('../result-builder.js');
    const { renderSummary } = await import('../report/console.js');
    const { renderMarkdown } = await import('../report/markdown.js');
    const { renderJunit } = await import('../report/junit.js');
    const secretPlan = await planRun(parseScenario('name: s\ntargets: { r: { adapter: rabbitmq, url: "amqp://fl:hunter2@127.0.0.1:5673" } }\nworkload: { rate: 10/s, duration: 1s }\n', 's.yaml').scenario);
    const h = write((w) => w.send(0, 0, 0, Outcome.ok, 0, 0, 1));
    const result = buildResult({ plan: secretPlan, history: h, historyBytes: 1, end: { status: 'error', errorCode: 'ENVIRONMENT', error: 'connect amqp://fl:hunter2@127.0.0.1:5673 refused \x1b[2J\rgone', startedAt: '2026-11-28T00:00:00Z', endedAt: '2026-11-28T00:00:01Z', adapterStats: {} } });
    const outputs = [JSON.stringify(result), renderSummary(result), renderMarkdown(result), renderJunit(result)];
    for (const out of outputs) expect(out).not.toContain('hunter2');
    expect(JSON.stringify(result.target)).toContain('amqp://fl:***@127.0.0.1:5673');
    const terminal = renderSummary(result, { color: true });
    expect(terminal).not.toContain('\x1b[2J');
    expect(terminal).not.toContain('\r');
    expect(terminal).toContain('\\x1b[2J\\x0dgone');
  });
});
