// The consumers' backlog over time, as the broker reports it: one sample a second through the
// adapter's admin connection (end offsets − committed offsets, ready + unacknowledged messages, ...),
// from the load's start to the end of the drain, and one more once the drain is over. It asks the
// broker; it never counts faultline's own deliveries, so a consumer that is slow shows as the broker
// sees it. A sample that takes longer than a second is skipped, not queued.
import { withTimeout } from '../adapters/timeout.js';
import type { Adapter } from '../adapters/types.js';
import type { Clock } from '../clock.js';

export interface LagSample {
  /** When the broker was asked, ms from the load's start. */
  atMs: number;
  value: number;
}

/** The history note the lag checker reads. */
export interface LagNote {
  type: 'lag';
  /** What the figure is (the adapter's lagSource), or null when the broker gives none. */
  source: string | null;
  /** Why there are no samples (the adapter has no lag, every request failed). */
  why?: string;
  samples: LagSample[];
  /** Requests that failed or timed out. */
  failed: number;
}

const TIMEOUT_MS = 900;

export class LagSampler {
  private readonly samples: LagSample[] = [];
  private failed = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly adapter: Pick<Adapter, 'lag' | 'lagSource' | 'lagUnavailable' | 'name'>,
    private readonly clock: Clock,
    private readonly origin: number,
  ) {}

  /** Whether the adapter can ask its broker (an adapter may know lag in one mode only: it then names no source in the other). */
  private get able(): boolean {
    return !!this.adapter.lag && this.adapter.lagSource !== undefined;
  }

  /** Samples at the start of every second of the load, until stop(). */
  start(): void {
    if (!this.able) return;
    const next = (k: number) => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        if (!this.busy) void this.sample();
        next(k + 1);
      }, this.origin + k * 1000 - this.clock.now());
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
    return this.samples.length ? this.samples[this.samples.length - 1].value : null;
  }

  note(): LagNote {
    const source = this.able ? this.adapter.lagSource! : null;
    const why = !this.able ? (this.adapter.lagUnavailable ?? `the ${this.adapter.name} adapter cannot ask its broker for the consumers' backlog`) : this.samples.length === 0 ? `the broker answered none of ${this.failed} lag requests` : undefined;
    return { type: 'lag', source, ...(why ? { why } : {}), samples: this.samples, failed: this.failed };
  }

  private sample(): Promise<void> {
    // the first timer may fire a moment before the load starts: that sample is of its start
    const atMs = Math.max(0, Math.round(this.clock.now() - this.origin));
    this.busy = withTimeout(TIMEOUT_MS, this.adapter.lag!())
      .catch(() => undefined)
      .then((value) => {
        if (value === undefined || !Number.isFinite(value)) this.failed++;
        else this.samples.push({ atMs, value });
      })
      .finally(() => (this.busy = null));
    return this.busy;
  }
}
