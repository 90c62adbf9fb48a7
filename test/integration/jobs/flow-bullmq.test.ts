import { BullmqRunner } from '../../../jobs/workers/bullmq-runner.js';
import { REDIS_URL } from '../../helpers/services.js';
import { flowContract } from '../../jobs/flow.contract.js';
import { useTestRedis } from './fixtures/redis-test-kit.js';

const { prefix } = useTestRedis();

flowContract(
  'BullMQ on the real Redis',
  async () => new BullmqRunner({ redisUrl: REDIS_URL, prefix: prefix('flow'), backoffMs: 50 }),
);
