import type { ChannelRateLimiter } from '../src/ports/channel-rate-limiter.js';

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
