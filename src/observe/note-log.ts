// The run's notes on their way into the history, written the moment they happen: fault entries, lag
// samples, client events, each second's interval, and the end. Notes that come before the history
// is open (a client event during setup) wait for it; client events are timed from the load's start,
// and the ones after the run began closing its own members are not the system's doing: dropped.
import type { Clock } from '../clock.js';
import { maskSecrets } from '../mask.js';
import type { HistoryWriter } from './history.js';
import type { ClientEventEntry, Note, RunEnd } from './notes.js';

export class NoteLog {
  private history: HistoryWriter | null = null;
  private readonly waiting: Note[] = [];
  private readonly early: (Omit<ClientEventEntry, 'atMs'> & { at: number })[] = [];
  private origin: number | null = null;
  private closing = false;

  constructor(private readonly clock: Clock) {}

  /** The history is open: every waiting note goes in, and every later one at once. */
  attach(history: HistoryWriter): void {
    this.history = history;
    for (const n of this.waiting.splice(0)) history.note(n);
  }

  get attached(): boolean {
    return this.history !== null;
  }

  /** The load starts at clock time `origin`: client events are timed from it (negative: during setup). */
  start(origin: number): void {
    this.origin = origin;
    if (this.early.length) this.note({ type: 'client-events', entries: this.early.splice(0).map(({ at, ...e }) => ({ atMs: Math.round(at - origin), ...e })) });
  }

  note(n: Note): void {
    const masked = maskSecrets(n);
    if (this.history) this.history.note(masked);
    else this.waiting.push(masked);
  }

  /** What a client reported about itself (a rebalance, a crash, a reconnect). */
  readonly clientEvent = (e: Omit<ClientEventEntry, 'atMs'>): void => {
    if (this.closing) return;
    const at = this.clock.now();
    if (this.origin === null) this.early.push({ ...e, at });
    else this.note({ type: 'client-events', entries: [{ atMs: Math.round(at - this.origin), ...e }] });
  };

  /** The run is closing its own members: what the clients report from now on is not the system's doing. */
  stopClientEvents(): void {
    this.closing = true;
  }

  /** Writes every observation buffered so far. */
  flush(): void {
    this.history?.flush();
  }

  /** The last note: how the run ended; then the history is closed. */
  end(end: RunEnd): { file: string; bytesWritten: number } {
    if (!this.history) throw new Error('the run ended before its history was opened');
    if (this.origin === null && this.early.length) this.start(this.clock.now());
    this.note({ type: 'end', ...end });
    this.history.close();
    return this.history;
  }
}
