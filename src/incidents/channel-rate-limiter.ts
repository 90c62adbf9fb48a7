/**
 * Per-channel pacing of chat messages (Slack allows about one message per second per channel).
 * The Redis implementation (jobs/workers/redis-channel-rate-limiter.ts) shares the budget across
 * worker processes; this one is for a single process.
 */
export interface ChannelRateLimiter {
  /** Takes the channel's slot when free and returns 0; otherwise the ms until it frees up. */
  acquire(channel: string): Promise<number>;
}

/** In-process limiter: one message per `intervalMs` per channel. */
export class MemoryChannelRateLimiter implements ChannelRateLimiter {
  private readonly nextFree = new Map<string, number>();

  constructor(
    private readonly intervalMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(channel: string): Promise<number> {
    const t = this.now();
    const free = this.nextFree.get(channel) ?? 0;
    if (free > t) return free - t;
    this.nextFree.set(channel, t + this.intervalMs);
    return 0;
  }
}
