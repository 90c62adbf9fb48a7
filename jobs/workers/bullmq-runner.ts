/**
 * The full mode's JobRunner: BullMQ queues and workers on Redis. Any number of processes can run
 * workers for any subset of queues (`rootgraph worker --queues rca,notify`); they share the work.
 * Jobs survive restarts (Redis keeps them), a worker that dies mid-job loses its lock and another
 * worker takes the job after the stalled check, and Redis outages are ridden out by reconnecting.
 */
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { classifyFailure } from '../failure.js';
import type { ChannelRateLimiter } from '../../src/ports/channel-rate-limiter.js';
import { RedisChannelRateLimiter } from './redis-channel-rate-limiter.js';
import type {
  EnqueueOptions,
  JobInfo,
  JobRunner,
  JobState,
  Processor,
  ProcessOptions,
  QueueStats,
} from '../../src/ports/job-runner.js';
import {
  jobIdFor,
  parsePayload,
  QUEUES,
  RETRY,
  SERIAL_QUEUES,
  type JobData,
  type QueueName,
} from '../../src/flow/queues.js';

export interface BullmqRunnerOptions {
  redisUrl: string;
  /** Redis key prefix: one rootgraph deployment (or one test) per prefix. */
  prefix?: string;
  attempts?: number;
  backoffMs?: number;
  /** How long a job stays locked to a worker without renewal (ms); a dead worker's jobs return after it. */
  lockDuration?: number;
  /** How often workers look for jobs whose lock lapsed (ms). */
  stalledInterval?: number;
  /** Times a job may be returned after its worker died before it fails. */
  maxStalledCount?: number;
  /** Shown as the worker name on the jobs it takes. */
  workerName?: string;
  onError?: (err: Error, where: string) => void;
}

/** Default key prefix in full mode. */
export const DEFAULT_PREFIX = 'rootgraph';

const KEEP = { completed: { age: 24 * 3600, count: 10_000 }, failed: { age: 7 * 24 * 3600, count: 10_000 } };

/** A JobRunner over BullMQ. Queues open lazily; `process` starts a worker in this process. */
export class BullmqRunner implements JobRunner {
  readonly kind = 'bullmq' as const;
  readonly prefix: string;
  /** The runner's Redis connection (shared by its queues; workers duplicate it for blocking reads). */
  readonly redis: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers = new Map<QueueName, Worker>();
  private readonly o: Required<Omit<BullmqRunnerOptions, 'onError' | 'prefix' | 'workerName'>> &
    Pick<BullmqRunnerOptions, 'onError' | 'workerName'>;

  constructor(opts: BullmqRunnerOptions) {
    this.prefix = opts.prefix ?? DEFAULT_PREFIX;
    this.o = {
      attempts: RETRY.attempts,
      backoffMs: RETRY.backoffMs,
      lockDuration: 30_000,
      stalledInterval: 30_000,
      maxStalledCount: 2,
      ...opts,
    };
    // Workers need maxRetriesPerRequest null; the retry strategy keeps reconnecting through a Redis restart.
    this.redis = new Redis(opts.redisUrl, {
      maxRetriesPerRequest: null,
      retryStrategy: (n) => Math.min(100 * n, 2_000),
    });
    this.redis.on('error', (err) => this.o.onError?.(err, 'redis'));
  }

  async enqueue<Q extends QueueName>(queue: Q, data: JobData<Q>, opts: EnqueueOptions = {}): Promise<string> {
    const parsed = parsePayload(queue, data);
    const jobId = opts.jobId ?? jobIdFor(queue, parsed);
    await this.queue(queue).add(queue, parsed, { jobId, ...(opts.delayMs ? { delay: opts.delayMs } : {}) });
    return jobId;
  }

  async schedule<Q extends QueueName>(queue: Q, id: string, everyMs: number, data: JobData<Q>): Promise<void> {
    const parsed = parsePayload(queue, data);
    await this.queue(queue).upsertJobScheduler(
      id,
      { every: everyMs },
      { name: queue, data: parsed, opts: this.jobOpts() },
    );
  }

  async unschedule(queue: QueueName, id: string): Promise<boolean> {
    return this.queue(queue).removeJobScheduler(id);
  }

  process<Q extends QueueName>(queue: Q, processor: Processor<Q>, opts: ProcessOptions = {}): void {
    if (this.workers.has(queue)) throw new Error(`queue ${queue} already has a worker in this runner`);
    const serial = SERIAL_QUEUES.has(queue);
    // Serial queues: one job at a time across every process sharing the prefix.
    if (serial)
      void this.queue(queue)
        .setGlobalConcurrency(1)
        .catch((err: Error) => this.o.onError?.(err, `${queue} global concurrency`));
    const worker = new Worker(
      queue,
      async (job: Job, token?: string) => {
        const ctx = {
          id: String(job.id),
          queue,
          attempt: job.attemptsMade + 1,
          progress: (p: number) => job.updateProgress(p),
        };
        try {
          return await processor(parsePayload(queue, job.data), ctx);
        } catch (err) {
          const f = classifyFailure(err);
          if (f.kind === 'unrecoverable') throw new UnrecoverableError(f.reason);
          if (f.kind === 'later') {
            await job.moveToDelayed(Date.now() + f.delayMs, token);
            throw new DelayedError();
          }
          throw err;
        }
      },
      {
        connection: this.redis,
        prefix: this.prefix,
        concurrency: serial ? 1 : Math.max(1, opts.concurrency ?? 1),
        lockDuration: this.o.lockDuration,
        stalledInterval: this.o.stalledInterval,
        maxStalledCount: this.o.maxStalledCount,
        metrics: { maxDataPoints: 24 * 60 },
        ...(this.o.workerName ? { name: this.o.workerName } : {}),
      },
    );
    worker.on('error', (err) => this.o.onError?.(err, `${queue} worker`));
    this.workers.set(queue, worker);
  }

  /** Resolves once every worker of this runner is connected and polling. */
  async ready(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.waitUntilReady()));
  }

  async drained(opts: { queues?: readonly QueueName[]; pollMs?: number } = {}): Promise<void> {
    // A job scheduler always keeps its next run delayed: that is not work in flight.
    const busy = (s: QueueStats) => s.waiting + s.active + Math.max(0, s.delayed - s.schedules) > 0;
    while ((await this.stats(opts.queues)).some(busy)) await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
  }

  channelRateLimiter(intervalMs = 1_000): ChannelRateLimiter {
    return new RedisChannelRateLimiter(this.redis, this.prefix, intervalMs);
  }

  async job(queue: QueueName, id: string): Promise<JobInfo | undefined> {
    // State first: a job read before its state could be completed without its result.
    const state = await this.queue(queue).getJobState(id);
    const job = await this.queue(queue).getJob(id);
    return job ? toInfo(queue, job, state) : undefined;
  }

  async stats(queues: readonly QueueName[] = QUEUES): Promise<QueueStats[]> {
    return Promise.all(
      queues.map(async (queue) => {
        const q = this.queue(queue);
        const [c, metrics, schedules] = await Promise.all([
          q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'),
          q.getMetrics('completed', 0, 4),
          q.getJobSchedulersCount(),
        ]);
        const points = metrics.data.length;
        return {
          queue,
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          completed: c.completed ?? 0,
          failed: c.failed ?? 0,
          schedules,
          completedPerMin: points > 0 ? metrics.data.reduce((s, x) => s + Number(x), 0) / points : null,
        };
      }),
    );
  }

  async failed(queues: readonly QueueName[] = QUEUES, limit = 50): Promise<JobInfo[]> {
    const all = await Promise.all(
      queues.map(async (queue) =>
        (await this.queue(queue).getFailed(0, limit - 1)).map((j) => toInfo(queue, j as Job, 'failed')),
      ),
    );
    return all
      .flat()
      .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
      .slice(0, limit);
  }

  async retry(id: string, queues: readonly QueueName[] = QUEUES): Promise<boolean> {
    for (const queue of queues) {
      const job = await this.queue(queue).getJob(id);
      if (job && (await job.isFailed())) {
        await job.retry('failed');
        return true;
      }
    }
    return false;
  }

  async close(opts: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    await Promise.all(
      [...this.workers.values()].map(async (w) => {
        // Finish in-flight jobs; past the deadline, stop waiting: their locks lapse and another worker retakes them.
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'timeout'>((r) => {
          timer = setTimeout(() => r('timeout'), timeoutMs);
        });
        const done = await Promise.race([w.close().then(() => 'closed' as const), deadline]);
        clearTimeout(timer);
        if (done === 'timeout') await w.close(true);
      }),
    );
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.workers.clear();
    this.queues.clear();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Deletes every key of this runner's queues (tests; `rootgraph jobs` never does this). */
  async obliterate(): Promise<void> {
    await Promise.all(QUEUES.map((q) => this.queue(q).obliterate({ force: true })));
  }

  private queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.redis, prefix: this.prefix, defaultJobOptions: this.jobOpts() });
      q.on('error', (err) => this.o.onError?.(err, `${name} queue`));
      this.queues.set(name, q);
    }
    return q;
  }

  private jobOpts() {
    return {
      attempts: this.o.attempts,
      backoff: { type: 'exponential' as const, delay: this.o.backoffMs },
      removeOnComplete: KEEP.completed,
      removeOnFail: KEEP.failed,
    };
  }
}

function toInfo(queue: QueueName, job: Job, state: string): JobInfo {
  const known: JobState[] = ['waiting', 'active', 'delayed', 'completed', 'failed'];
  const s = state === 'prioritized' || state === 'waiting-children' ? 'waiting' : state;
  return {
    id: String(job.id),
    queue,
    state: (known as string[]).includes(s) ? (s as JobState) : 'unknown',
    attempts: job.attemptsMade,
    progress: typeof job.progress === 'number' ? job.progress : 0,
    data: job.data,
    result: job.returnvalue ?? undefined,
    failedReason: job.failedReason || undefined,
    createdAt: job.timestamp,
    finishedAt: job.finishedOn ?? undefined,
  };
}
