import type { Command } from 'commander';
import { ConsoleNotifier } from '../../../bots/console/console-notifier.js';
import { registerFlow, type FlowPorts } from '../../../jobs/flow-processors.js';
import { channelRateLimiterFor } from '../../../jobs/open-runner.js';
import { isQueueName, QUEUES, type QueueName } from '../../../jobs/queues.js';
import { BullmqRunner } from '../../../jobs/workers/bullmq-runner.js';
import { loadConfig, type Config } from '../../config.js';
import { openGraphStore } from '../../compose.js';
import { InputError, RootgraphError } from '../../errors.js';
import { AlertFlowState } from '../../incidents/alert-flow.js';
import { MemoryLogBuffer } from '../../incidents/log-line-source.js';
import { createLogger } from '../../logger.js';
import type { MetricSource } from '../../metrics/metric-source.js';

/** Ports a worker needs besides the graph and the runner; the lead's composition supplies real ones. */
export interface WorkerDeps {
  metrics?: (config: Config) => Promise<MetricSource>;
  notifier?: (config: Config) => Promise<FlowPorts['notifier']>;
}

/** A MetricSource with no series: RCA then ranks by topology alone (used until a metrics adapter is wired). */
const noMetrics: MetricSource = { kind: 'buffer', query: async () => [], listSeries: async () => [] };

/** Parses `--queues a,b`; throws InputError naming an unknown queue. */
export function parseQueues(list: string): QueueName[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!isQueueName(n)) throw new InputError('--queues', `unknown queue "${n}"`, { hint: `Queues: ${QUEUES.join(', ')}.` });
  return [...new Set(names)] as QueueName[];
}

/**
 * `rootgraph worker [--queues rca,notify] [--concurrency N] [--schedule]`: consumes queues on Redis
 * until SIGINT/SIGTERM, then finishes in-flight jobs (up to --grace seconds) and exits.
 */
export function registerWorkerCommand(program: Command, deps: WorkerDeps = {}): void {
  program
    .command('worker')
    .description('Run BullMQ workers for some or all job queues (needs REDIS_URL); run several for more throughput')
    .option('--queues <list>', `comma-separated queues (${QUEUES.join(',')})`, QUEUES.join(','))
    .option('--concurrency <n>', 'parallel jobs per queue in this process (compress and feedback stay at 1)', '2')
    .option('--schedule', 'also (re)create the repeatable detection and log-check schedules')
    .option('--grace <seconds>', 'on shutdown, wait this long for in-flight jobs', '30')
    .action(async (opts: { queues: string; concurrency: string; schedule?: boolean; grace: string }) => {
      const config = loadConfig();
      if (!config.redisUrl) throw new RootgraphError('CONFIG_INVALID', 'rootgraph worker needs Redis.', { hint: 'Set REDIS_URL; without it, `rootgraph serve` runs jobs in-process.' });
      const queues = parseQueues(opts.queues);
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new InputError('--concurrency', `expected a positive integer, got "${opts.concurrency}"`);
      const log = createLogger(config.logLevel, 'rootgraph-worker');
      const graph = await openGraphStore(config);
      const runner = new BullmqRunner({ redisUrl: config.redisUrl, onError: (err, where) => log.warn({ err: err.message, where }, 'redis trouble; reconnecting') });
      registerFlow(runner, {
        graph,
        metrics: deps.metrics ? await deps.metrics(config) : noMetrics,
        notifier: deps.notifier ? await deps.notifier(config) : new ConsoleNotifier(),
        limiter: channelRateLimiterFor(runner),
        logs: new MemoryLogBuffer(),
        alertFlow: queues.includes('compress') ? await AlertFlowState.fromGraph(graph) : undefined,
      }, { queues, concurrency: Object.fromEntries(queues.map((q) => [q, concurrency])) });
      if (opts.schedule) {
        await runner.schedule('detect', 'detect-every-minute', 60_000, { lookbackS: 3_600, stepS: 30, detector: 'robust-z' });
        await runner.schedule('logcheck', 'logcheck-every-minute', 60_000, { windowMs: 60_000, baselineMs: 3_600_000 });
      }
      await runner.ready();
      log.info({ queues, concurrency, prefix: runner.prefix }, 'worker ready');
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log.info({ signal }, 'finishing in-flight jobs');
          void runner.close({ timeoutMs: Number(opts.grace) * 1_000 }).then(() => graph.close()).then(resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
