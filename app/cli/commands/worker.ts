import type { Command } from 'commander';
import { isQueueName, QUEUES, type QueueName } from '../../../src/flow/queues.js';
import { loadConfig } from '../../../src/config.js';
import { InputError, RootgraphError } from '../../../src/errors.js';
import { createLogger } from '../../../src/logger.js';
import { composeRuntime } from '../lazy-compose.js';

/** Parses `--queues a,b`; throws InputError naming an unknown queue. */
export function parseQueues(list: string): QueueName[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!isQueueName(n))
      throw new InputError('--queues', `unknown queue "${n}"`, { hint: `Queues: ${QUEUES.join(', ')}.` });
  return [...new Set(names)] as QueueName[];
}

/**
 * `rootgraph worker [--queues rca,notify] [--concurrency N] [--schedule]`: `rootgraph serve --role worker`
 * for some queues; consumes them on Redis until SIGINT/SIGTERM, then finishes in-flight jobs and exits.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run BullMQ workers for some or all job queues (needs REDIS_URL); run several for more throughput')
    .option('--queues <list>', `comma-separated queues (${QUEUES.join(',')})`, QUEUES.join(','))
    .option('--concurrency <n>', 'parallel jobs per queue in this process (compress and feedback stay at 1)', '2')
    .option('--schedule', 'also (re)create the repeatable detection, log-check and alert-tick schedules')
    .action(async (opts: { queues: string; concurrency: string; schedule?: boolean }) => {
      const config = loadConfig();
      if (!config.redisUrl)
        throw new RootgraphError('CONFIG_INVALID', 'rootgraph worker needs Redis.', {
          hint: 'Set REDIS_URL; without it, `rootgraph serve` runs jobs in-process.',
        });
      const queues = parseQueues(opts.queues);
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new InputError('--concurrency', `expected a positive integer, got "${opts.concurrency}"`);
      const log = createLogger(config.logLevel, 'rootgraph-worker');
      const runtime = await composeRuntime(config, ['worker'], {
        logger: log,
        queues,
        concurrency,
        schedule: Boolean(opts.schedule),
      });
      log.info({ queues, concurrency, prefix: config.queuePrefix }, 'worker ready');
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log.info({ signal, graceMs: config.shutdownGraceMs }, 'finishing in-flight jobs');
          void runtime.close().then(resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
