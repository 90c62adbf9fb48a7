import type { Config } from '../src/config.js';
import type { ChannelRateLimiter } from '../src/ports/channel-rate-limiter.js';
import { MemoryChannelRateLimiter } from '../jobs/memory-channel-rate-limiter.js';
import { InProcessRunner } from '../jobs/in-process-runner.js';
import type { JobRunner } from '../src/ports/job-runner.js';
import { BullmqRunner, type BullmqRunnerOptions } from '../jobs/workers/bullmq-runner.js';
import { RedisChannelRateLimiter } from '../jobs/workers/redis-channel-rate-limiter.js';

/** The runner the configuration asks for: BullMQ when REDIS_URL is set, else in-process. */
export function openJobRunner(
  config: Pick<Config, 'redisUrl'>,
  opts: Omit<BullmqRunnerOptions, 'redisUrl'> = {},
): JobRunner {
  return config.redisUrl ? new BullmqRunner({ ...opts, redisUrl: config.redisUrl }) : new InProcessRunner();
}

/** Notification pacing that matches the runner: shared through Redis for BullMQ, in memory otherwise. */
export function channelRateLimiterFor(runner: JobRunner, intervalMs = 1_000): ChannelRateLimiter {
  return runner instanceof BullmqRunner
    ? new RedisChannelRateLimiter(runner.redis, runner.prefix, intervalMs)
    : new MemoryChannelRateLimiter(intervalMs);
}
