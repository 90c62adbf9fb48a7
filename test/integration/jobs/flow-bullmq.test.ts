import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { BullmqRunner } from '../../../jobs/workers/bullmq-runner.js';
import { REDIS_URL } from '../../helpers/services.js';
import { flowContract } from '../../jobs/flow.contract.js';
import { connectRedis, dropPrefix, testPrefix } from './fixtures/redis-test-kit.js';

let redis: Redis;
const prefixes: string[] = [];
beforeAll(async () => { redis = await connectRedis(); });
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis, p);
  await redis.quit();
});

flowContract('BullMQ on the real Redis', async () => {
  const prefix = testPrefix('flow');
  prefixes.push(prefix);
  const runner = new BullmqRunner({ redisUrl: REDIS_URL, prefix, backoffMs: 50 });
  return runner;
});
