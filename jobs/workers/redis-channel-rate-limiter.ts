import type { Redis } from 'ioredis';
import type { ChannelRateLimiter } from '../../src/ports/channel-rate-limiter.js';

/**
 * Per-channel pacing shared by every worker process on one Redis: the first caller in an interval
 * sets `<prefix>:ratelimit:<channel>` with a TTL of the interval; the others get the TTL left.
 */
export class RedisChannelRateLimiter implements ChannelRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly intervalMs = 1_000,
  ) {}

  async acquire(channel: string): Promise<number> {
    const key = `${this.prefix}:ratelimit:${channel}`;
    const ok = await this.redis.set(key, '1', 'PX', this.intervalMs, 'NX');
    if (ok === 'OK') return 0;
    const left = await this.redis.pttl(key);
    // A key that expired between the two calls (-2) or has no TTL (-1) means: try again at once.
    return left > 0 ? left : 1;
  }
}
