/**
 * The embedded default's JobRunner: queues in this process's memory, no Redis. Same semantics as the
 * BullMQ runner (content-derived ids, retries with exponential backoff, unrecoverable bad input,
 * failed jobs kept and retriable, schedules, progress, graceful close). With a JobJournal, accepted
 * jobs survive a crash or restart of the process (re-run when it starts again); schedules and finished
 * jobs live in memory only. Several processes sharing queues is what REDIS_URL is for.
 */
import { classifyFailure, backoffMs } from './failure.js';
import type { JobJournal } from './job-journal.js';
import { MemoryChannelRateLimiter } from './memory-channel-rate-limiter.js';
import type { ChannelRateLimiter } from '../src/ports/channel-rate-limiter.js';
import type {
  EnqueueOptions,
  JobInfo,
  JobRunner,
  Processor,
  ProcessOptions,
  QueueStats,
} from '../src/ports/job-runner.js';
import {
  jobIdFor,
  parsePayload,
  QUEUES,
  RETRY,
  SERIAL_QUEUES,
  type JobData,
  type QueueName,
} from '../src/flow/queues.js';

interface Job extends JobInfo {
  timer?: NodeJS.Timeout;
}

interface Lane {
  processor?: Processor;
  concurrency: number;
  waiting: Job[];
  active: number;
  completions: number[];
  /** Completed job ids, oldest first (for the retention cap). */
  done: string[];
}

export interface InProcessRunnerOptions {
  attempts?: number;
  backoffMs?: number;
  /** Finished jobs kept per queue (ids of removed ones can be enqueued again). */
  keepCompleted?: number;
  now?: () => number;
  /** Keeps accepted jobs until they finish; jobs left in it from an earlier run are queued again at once. */
  journal?: JobJournal;
}

const RATE_WINDOW_MS = 5 * 60_000;

/** A JobRunner in this process. Real product code for the embedded default, not a test double. */
export class InProcessRunner implements JobRunner {
  readonly kind = 'in-process' as const;
  private readonly jobs = new Map<string, Job>();
  private readonly lanes = new Map<QueueName, Lane>();
  private readonly schedules = new Map<string, NodeJS.Timeout>();
  private readonly o: Required<Omit<InProcessRunnerOptions, 'journal'>>;
  private readonly journal?: JobJournal;
  private closing = false;
  /** Jobs waiting, delayed or active. */
  private pending = 0;
  private idle: Array<() => void> = [];

  constructor(opts: InProcessRunnerOptions = {}) {
    this.o = { attempts: RETRY.attempts, backoffMs: RETRY.backoffMs, keepCompleted: 1_000, now: Date.now, ...opts };
    for (const q of QUEUES) this.lanes.set(q, { concurrency: 1, waiting: [], active: 0, completions: [], done: [] });
    this.journal = opts.journal;
    for (const kept of this.journal?.pending() ?? []) this.requeue(kept);
  }

  /** A job left unfinished by an earlier run of the process: waiting again (its queue's processor runs it). */
  private requeue(kept: ReturnType<JobJournal['pending']>[number]): void {
    const job: Job = { ...kept, state: 'waiting', attempts: 0, progress: 0 };
    try {
      job.data = parsePayload(kept.queue, kept.data);
    } catch (err) {
      // A payload this version no longer accepts: kept as failed, visible in `rootgraph jobs`.
      Object.assign(job, { state: 'failed', failedReason: (err as Error).message, finishedAt: this.o.now() });
      this.jobs.set(key(job.queue, job.id), job);
      this.journal?.remove(job.queue, job.id);
      return;
    }
    this.jobs.set(key(job.queue, job.id), job);
    this.pending++;
    this.lane(job.queue).waiting.push(job);
  }

  async enqueue<Q extends QueueName>(queue: Q, data: JobData<Q>, opts: EnqueueOptions = {}): Promise<string> {
    return this.add(queue, data, opts, true);
  }

  private async add<Q extends QueueName>(
    queue: Q,
    data: JobData<Q>,
    opts: EnqueueOptions,
    durable: boolean,
  ): Promise<string> {
    const parsed = parsePayload(queue, data);
    const id = opts.jobId ?? jobIdFor(queue, parsed);
    if (this.jobs.has(key(queue, id))) return id; // same content, same job
    const job: Job = { id, queue, state: 'waiting', attempts: 0, progress: 0, data: parsed, createdAt: this.o.now() };
    this.jobs.set(key(queue, id), job);
    this.pending++;
    // Accepted means kept: the job is in the journal before the caller hears its id.
    if (durable && this.journal) await this.journal.add({ queue, id, data: parsed, createdAt: job.createdAt });
    if (opts.delayMs && opts.delayMs > 0) this.delay(job, opts.delayMs);
    else this.lane(queue).waiting.push(job);
    this.pump(queue);
    return id;
  }

  async schedule<Q extends QueueName>(queue: Q, id: string, everyMs: number, data: JobData<Q>): Promise<void> {
    parsePayload(queue, data);
    await this.unschedule(queue, id);
    // A schedule fires again after a restart, so its runs need no journal.
    const fire = () => void this.add(queue, data, { jobId: `sched-${id}-${this.o.now()}` }, false).catch(() => {});
    fire();
    const t = setInterval(fire, everyMs);
    t.unref();
    this.schedules.set(key(queue, id), t);
  }

  async unschedule(queue: QueueName, id: string): Promise<boolean> {
    const t = this.schedules.get(key(queue, id));
    if (t) clearInterval(t);
    return this.schedules.delete(key(queue, id));
  }

  process<Q extends QueueName>(queue: Q, processor: Processor<Q>, opts: ProcessOptions = {}): void {
    const lane = this.lane(queue);
    lane.processor = processor as Processor;
    lane.concurrency = SERIAL_QUEUES.has(queue) ? 1 : Math.max(1, opts.concurrency ?? 1);
    this.pump(queue);
  }

  async job(queue: QueueName, id: string): Promise<JobInfo | undefined> {
    const j = this.jobs.get(key(queue, id));
    return j ? view(j) : undefined;
  }

  async stats(queues: readonly QueueName[] = QUEUES): Promise<QueueStats[]> {
    const since = this.o.now() - RATE_WINDOW_MS;
    return queues.map((queue) => {
      const all = [...this.jobs.values()].filter((j) => j.queue === queue);
      const n = (s: JobInfo['state']) => all.filter((j) => j.state === s).length;
      const lane = this.lane(queue);
      lane.completions = lane.completions.filter((t) => t >= since);
      const schedules = [...this.schedules.keys()].filter((k) => k.startsWith(`${queue}/`)).length;
      return {
        queue,
        waiting: n('waiting'),
        active: n('active'),
        delayed: n('delayed'),
        completed: n('completed'),
        failed: n('failed'),
        completedPerMin: lane.completions.length / (RATE_WINDOW_MS / 60_000),
        schedules,
      };
    });
  }

  async failed(queues: readonly QueueName[] = QUEUES, limit = 50): Promise<JobInfo[]> {
    return [...this.jobs.values()]
      .filter((j) => j.state === 'failed' && queues.includes(j.queue))
      .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
      .slice(0, limit)
      .map(view);
  }

  async retry(id: string, queues: readonly QueueName[] = QUEUES): Promise<boolean> {
    const j = queues.map((q) => this.jobs.get(key(q, id))).find((x) => x?.state === 'failed');
    if (!j) return false;
    Object.assign(j, { state: 'waiting', attempts: 0, failedReason: undefined, finishedAt: undefined });
    this.pending++;
    this.lane(j.queue).waiting.push(j);
    this.pump(j.queue);
    return true;
  }

  /** Nothing to connect: the workers are this process's. */
  async ready(): Promise<void> {}

  /** Resolves when nothing is waiting, delayed or running in this process (every queue: jobs enqueue follow-ups). */
  async drained(): Promise<void> {
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  channelRateLimiter(intervalMs = 1_000): ChannelRateLimiter {
    return new MemoryChannelRateLimiter(intervalMs, this.o.now);
  }

  async close(opts: { timeoutMs?: number } = {}): Promise<void> {
    this.closing = true;
    for (const t of this.schedules.values()) clearInterval(t);
    this.schedules.clear();
    for (const j of this.jobs.values()) if (j.timer) clearTimeout(j.timer);
    const running = () => [...this.lanes.values()].reduce((s, l) => s + l.active, 0);
    const deadline = this.o.now() + (opts.timeoutMs ?? 30_000);
    while (running() > 0 && this.o.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // Jobs still running past the deadline go back to waiting (their results are dropped; journaled ones run at the next start).
    for (const j of this.jobs.values()) if (j.state === 'active') j.state = 'waiting';
    await this.journal?.close();
  }

  private lane(q: QueueName): Lane {
    return this.lanes.get(q) as Lane;
  }

  private pump(queue: QueueName): void {
    const lane = this.lane(queue);
    while (!this.closing && lane.processor && lane.active < lane.concurrency && lane.waiting.length > 0) {
      const job = lane.waiting.shift() as Job;
      if (job.state !== 'waiting') continue;
      lane.active++;
      void this.run(job, lane).finally(() => {
        lane.active--;
        this.pump(queue);
        if (this.pending === 0) for (const r of this.idle.splice(0)) r();
      });
    }
  }

  private async run(job: Job, lane: Lane): Promise<void> {
    job.state = 'active';
    job.attempts++;
    const ctx = {
      id: job.id,
      queue: job.queue,
      attempt: job.attempts,
      progress: async (p: number) => {
        job.progress = p;
      },
    };
    try {
      const result = await (lane.processor as Processor)(parsePayload(job.queue, job.data) as never, ctx);
      if (this.closing && job.state !== 'active') return;
      Object.assign(job, { state: 'completed', result, finishedAt: this.o.now() });
      this.journal?.remove(job.queue, job.id);
      this.pending--;
      lane.completions.push(this.o.now());
      lane.done.push(job.id);
      // Drops the oldest completed jobs beyond the cap, as BullMQ's removeOnComplete does.
      while (lane.done.length > this.o.keepCompleted) this.jobs.delete(key(job.queue, lane.done.shift() as string));
    } catch (err) {
      const f = classifyFailure(err);
      if (f.kind === 'later') {
        job.attempts--;
        this.delay(job, f.delayMs);
        return;
      }
      if (f.kind === 'retry' && job.attempts < this.o.attempts) {
        job.failedReason = f.reason;
        this.delay(job, backoffMs(this.o.backoffMs, job.attempts));
        return;
      }
      Object.assign(job, { state: 'failed', failedReason: f.reason, finishedAt: this.o.now() });
      this.journal?.remove(job.queue, job.id);
      this.pending--;
    }
  }

  private delay(job: Job, ms: number): void {
    job.state = 'delayed';
    job.timer = setTimeout(() => {
      job.timer = undefined;
      if (job.state !== 'delayed') return;
      job.state = 'waiting';
      this.lane(job.queue).waiting.push(job);
      this.pump(job.queue);
    }, ms);
  }
}

const key = (q: QueueName, id: string) => `${q}/${id}`;

function view(j: Job): JobInfo {
  const { timer: _t, ...info } = j;
  return { ...info };
}
