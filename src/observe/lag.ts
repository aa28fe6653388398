// The consumers' backlog over time, as the broker reports it: one sample a second through the
// adapter's admin connection (end offsets − committed offsets, ready + unacknowledged messages, ...),
// from the load's start to the end of the drain, and one more once the drain is over. It asks the
// broker; it never counts faultline's own deliveries, so a consumer that is slow shows as the broker
// sees it. A sample that takes longer than a second is skipped, not queued.
import type { Clock } from '../clock.js';
import { withTimeout } from '../timeout.js';
import type { LagNote } from './notes.js';

/** What the sampler asks: an adapter that can report its consumers' backlog. */
export interface LagSource {
  readonly name: string;
  readonly lagSource?: string;
  readonly lagUnavailable?: string;
  lag?(): Promise<number | undefined>;
}

const TIMEOUT_MS = 900;

export class LagSampler {
  private latestValue: number | null = null;
  private failed = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | null = null;
  private stopped = false;

  /** `record` appends each note to the history as it is taken: a first one naming the source, then one per sample. */
  constructor(
    private readonly adapter: LagSource,
    private readonly clock: Clock,
    private readonly origin: number,
    private readonly record: (note: LagNote) => void,
  ) {}

  /** Whether the adapter can ask its broker (an adapter may know lag in one mode only: it then names no source in the other). */
  private get able(): boolean {
    return !!this.adapter.lag && this.adapter.lagSource !== undefined;
  }

  /** Samples at the start of every second of the load, until stop(). */
  start(): void {
    const why = this.able ? undefined : (this.adapter.lagUnavailable ?? `the ${this.adapter.name} adapter cannot ask its broker for the consumers' backlog`);
    this.record({ type: 'lag', source: this.able ? this.adapter.lagSource! : null, ...(why ? { why } : {}), samples: [], failed: 0 });
    if (!this.able) return;
    const next = (k: number) => {
      if (this.stopped) return;
      this.timer = setTimeout(
        () => {
          if (!this.busy) void this.sample();
          next(k + 1);
        },
        this.origin + k * 1000 - this.clock.now(),
      );
    };
    next(0);
  }

  /** One sample now (after the last one has answered): the final figure, once the drain is over. */
  async final(): Promise<void> {
    this.stop();
    await this.busy;
    if (this.able) await this.sample();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The last figure the broker gave, or null. */
  get latest(): number | null {
    return this.latestValue;
  }

  private sample(): Promise<void> {
    // the first timer may fire a moment before the load starts: that sample is of its start
    const atMs = Math.max(0, Math.round(this.clock.now() - this.origin));
    this.busy = withTimeout(TIMEOUT_MS, this.adapter.lag!())
      .catch(() => undefined)
      .then((value) => {
        const ok = value !== undefined && Number.isFinite(value);
        if (!ok) this.failed++;
        else this.latestValue = value;
        this.record({ type: 'lag', source: this.adapter.lagSource!, samples: ok ? [{ atMs, value }] : [], failed: this.failed });
      })
      .finally(() => (this.busy = null));
    return this.busy;
  }
}
