/** The port both runners implement: BullMQ on Redis (full mode) and in-process (embedded default). */
import type { JobData, QueueName } from '../flow/queues.js';
import type { ChannelRateLimiter } from './channel-rate-limiter.js';

/** What a processor sees of its job besides the payload. */
export interface JobContext {
  id: string;
  queue: QueueName;
  /** 1 on the first try. */
  attempt: number;
  /** Reports progress, 0–100; shown by `rootgraph jobs`. */
  progress(pct: number): Promise<void>;
}

/**
 * Processes one job. Throw InputError (or any non-retriable RootgraphError) to fail at once, anything
 * else to be retried with backoff, RetryLaterError to be put back without using an attempt.
 */
export type Processor<Q extends QueueName = QueueName> = (data: JobData<Q>, ctx: JobContext) => Promise<unknown>;

export interface EnqueueOptions {
  /** Overrides the content-derived id (jobIdFor). */
  jobId?: string;
  delayMs?: number;
}

export interface ProcessOptions {
  /** Jobs of this queue run in parallel in this process (serial queues are always 1). */
  concurrency?: number;
}

/** Depth and throughput of one queue. */
export interface QueueStats {
  queue: QueueName;
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  /** Completions per minute over the last `rateWindowMin` minutes (null when not measured). */
  completedPerMin: number | null;
  /** Repeatable schedules on this queue. */
  schedules: number;
}

export type JobState = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed' | 'unknown';

/** A job as `rootgraph jobs` shows it. */
export interface JobInfo {
  id: string;
  queue: QueueName;
  state: JobState;
  attempts: number;
  progress: number;
  data: unknown;
  result?: unknown;
  failedReason?: string;
  /** ms since epoch. */
  createdAt: number;
  finishedAt?: number;
}

/** Runs rootgraph's jobs. Same processors, two implementations; nothing outside jobs/ needs to know which. */
export interface JobRunner {
  readonly kind: 'in-process' | 'bullmq';
  /** Validates and enqueues; the same content twice is one job (content-derived id). Returns the id. */
  enqueue<Q extends QueueName>(queue: Q, data: JobData<Q>, opts?: EnqueueOptions): Promise<string>;
  /** Runs `data` on `queue` every `everyMs` under the schedule `id` (idempotent: re-scheduling updates it). */
  schedule<Q extends QueueName>(queue: Q, id: string, everyMs: number, data: JobData<Q>): Promise<void>;
  unschedule(queue: QueueName, id: string): Promise<boolean>;
  /** Starts consuming `queue` with `processor` in this process. */
  process<Q extends QueueName>(queue: Q, processor: Processor<Q>, opts?: ProcessOptions): void;
  /** One job, wherever it is. */
  job(queue: QueueName, id: string): Promise<JobInfo | undefined>;
  stats(queues?: readonly QueueName[]): Promise<QueueStats[]>;
  /** Failed jobs, newest first. */
  failed(queues?: readonly QueueName[], limit?: number): Promise<JobInfo[]>;
  /** Moves a failed job back to waiting; false when no failed job has that id. */
  retry(id: string, queues?: readonly QueueName[]): Promise<boolean>;
  /** Resolves once the workers this process started are connected and taking jobs. */
  ready(): Promise<void>;
  /**
   * Resolves when `queues` (all by default) have nothing waiting, delayed or running — in this process
   * (in-process) or anywhere on the queue backend (BullMQ, polled every `pollMs`).
   */
  drained(opts?: { queues?: readonly QueueName[]; pollMs?: number }): Promise<void>;
  /**
   * Per-channel chat pacing shared by every process that shares this runner's queues (Slack allows
   * about one message per second per channel).
   */
  channelRateLimiter(intervalMs?: number): ChannelRateLimiter;
  /**
   * Stops taking jobs, waits up to `timeoutMs` for running ones to finish, then returns the rest
   * to the queue (BullMQ: their locks lapse and another worker takes them; in-process: re-queued).
   */
  close(opts?: { timeoutMs?: number }): Promise<void>;
}
