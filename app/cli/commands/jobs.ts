import type { Command } from 'commander';
import type { JobInfo, JobRunner, QueueStats } from '../../../src/ports/job-runner.js';
import { QUEUES, type QueueName } from '../../../src/flow/queues.js';
import { RootgraphError } from '../../../src/errors.js';
import { withSharedQueues } from '../lazy-compose.js';
import { parseQueues } from './worker.js';

const withRunner = <T>(work: (r: JobRunner) => Promise<T>): Promise<T> =>
  withSharedQueues('Reading queued jobs', work, {
    hint: 'Without REDIS_URL jobs run inside `rootgraph serve` and end with it.',
  });

/** One line per queue: depth, throughput, failures. */
export function formatStats(stats: QueueStats[]): string {
  const head = ['queue', 'waiting', 'active', 'delayed', 'done', 'failed', 'done/min', 'schedules'];
  const rows = stats.map((s) =>
    [
      s.queue,
      s.waiting,
      s.active,
      s.delayed,
      s.completed,
      s.failed,
      s.completedPerMin === null ? '-' : s.completedPerMin.toFixed(1),
      s.schedules,
    ].map(String),
  );
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows]
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  '))
    .join('\n');
}

const failedLine = (j: JobInfo) =>
  `${j.queue}  ${j.id}  attempts=${j.attempts}  ${j.finishedAt ? new Date(j.finishedAt).toISOString() : '-'}  ${j.failedReason ?? ''}`;

/** `rootgraph jobs`, `rootgraph jobs failed`, `rootgraph jobs retry ID`: the queues on Redis. */
export function registerJobsCommand(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('Queue depths, rates and failures of the BullMQ jobs (needs REDIS_URL)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const stats = await withRunner((r) => r.stats());
      console.log(opts.json ? JSON.stringify(stats) : formatStats(stats));
    });
  jobs
    .command('failed')
    .description('List failed jobs, newest first, with the reason')
    .option('--queues <list>', 'only these queues', QUEUES.join(','))
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { queues: string; limit: string; json?: boolean }) => {
      const failed = await withRunner((r) => r.failed(parseQueues(opts.queues), Number(opts.limit)));
      if (opts.json) console.log(JSON.stringify(failed));
      else console.log(failed.length === 0 ? 'no failed jobs' : failed.map(failedLine).join('\n'));
    });
  jobs
    .command('retry <id>')
    .description('Move a failed job back to its queue')
    .option('--queues <list>', 'look in these queues', QUEUES.join(','))
    .action(async (id: string, opts: { queues: string }) => {
      const queues: QueueName[] = parseQueues(opts.queues);
      const ok = await withRunner((r) => r.retry(id, queues));
      if (!ok)
        throw new RootgraphError('NOT_FOUND', `no failed job with id ${id}`, {
          hint: 'See `rootgraph jobs failed` for ids.',
        });
      console.log(`retrying ${id}`);
    });
}
