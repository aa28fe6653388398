// The memory broker's process, for the process faults of a scenario (`kill: memory`, `pause: memory`,
// `restart: memory`): it lives in faultline's own process, so these act on its state, not on a pid.
import type { InProcessBroker } from '../types.js';

export type ProcessState = 'running' | 'paused' | 'dead';

export class BrokerProcess implements InProcessBroker {
  readonly service = 'memory';
  private current: ProcessState = 'running';
  private waiting: (() => void)[] = [];

  constructor(
    /** Called when it dies (a broker without persistence forgets what it held). */
    private readonly onKill: () => void,
    /** Called when it runs again (hand out what waited). */
    private readonly onStart: () => void,
  ) {}

  get state(): ProcessState {
    return this.current;
  }

  kill(): void {
    if (this.current === 'dead') return;
    this.current = 'dead';
    this.wake();
    this.onKill();
  }

  pause(): void {
    if (this.current === 'running') this.current = 'paused';
  }

  start(): void {
    if (this.current === 'running') return;
    this.current = 'running';
    this.wake();
    this.onStart();
  }

  /** Resolves once the broker is not paused (running, or dead: the caller then refuses). */
  untilAnswering(): Promise<void> {
    if (this.current !== 'paused') return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w();
  }
}
