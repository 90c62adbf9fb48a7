/**
 * Per-channel pacing of chat messages (Slack allows about one message per second per channel).
 * The Redis implementation (jobs/workers/redis-channel-rate-limiter.ts) shares the budget across
 * worker processes; jobs/memory-channel-rate-limiter.ts is for a single process.
 */
export interface ChannelRateLimiter {
  /** Takes the channel's slot when free and returns 0; otherwise the ms until it frees up. */
  acquire(channel: string): Promise<number>;
}
