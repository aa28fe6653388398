// What must happen however a run ends, registered by each step as it creates something and run in a
// fixed order: stop watching, heal the faults (the broker must be reachable for what follows, and
// nothing may stay broken), close consumers, then producers, wait for the other shards, then record
// what was never answered. A step that fails does not stop the ones after it.
export const Stage = { stop: 0, heal: 1, consumers: 2, producers: 3, others: 4, record: 5, release: 6 } as const;

export class Shutdown {
  private readonly steps: { stage: number; run: () => unknown }[] = [];

  on(stage: (typeof Stage)[keyof typeof Stage], run: () => unknown): void {
    this.steps.push({ stage, run });
  }

  async run(): Promise<void> {
    const steps = [...this.steps].sort((a, b) => a.stage - b.stage);
    this.steps.length = 0;
    for (const s of steps)
      await Promise.resolve()
        .then(s.run)
        .catch(() => undefined);
  }
}
