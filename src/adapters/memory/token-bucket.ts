// The memory broker's `maxRate`: a token bucket holding a tenth of a second of sends; a send waits
// for its tokens (a batch larger than the bucket goes once the bucket is full).
export class TokenBucket {
  private tokens = 0;
  private lastRefill = performance.now();

  constructor(private readonly rate: number) {}

  async take(n: number): Promise<void> {
    const rate = this.rate;
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(rate / 10, this.tokens + ((now - this.lastRefill) * rate) / 1000);
      this.lastRefill = now;
      if (this.tokens >= n || (this.tokens >= rate / 10 && n > rate / 10)) {
        this.tokens -= n;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.max(1, ((n - this.tokens) * 1000) / rate)));
    }
  }
}
