/**
 * The queue table: names, payload schemas and job ids of rootgraph's background jobs. Payloads are validated
 * when enqueued and again when processed (a payload crosses Redis as JSON; bad ones fail unrecoverably).
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { CompressPayload } from './compress-job.js';
import { DetectPayload } from './detect-job.js';
import { FeedbackPayload } from './feedback-job.js';
import { IngestBatchPayload } from './ingest-batch-job.js';
import { LogCheckPayload } from './log-check-job.js';
import { NotifyPayload } from './notify-job.js';
import { RcaPayload } from './rca-job.js';
import { TrainDetectorPayload } from './train-detector-job.js';

/** Every queue, by role. Names are also the `rootgraph worker --queues` vocabulary. */
export const QUEUES = ['ingest', 'detect', 'logcheck', 'compress', 'rca', 'notify', 'feedback', 'train'] as const;
export type QueueName = (typeof QUEUES)[number];

/**
 * Queues whose processor keeps state or read-modify-writes shared state (the alert compressor, the
 * RCA model): processed one job at a time per prefix (BullMQ: worker concurrency 1 and global
 * concurrency 1), so two processes never interleave them.
 */
export const SERIAL_QUEUES: ReadonlySet<QueueName> = new Set(['compress', 'feedback', 'train']);

/** Payload schema per queue; each lives beside its job's handler in src/flow/<name>-job.ts. */
export const PAYLOADS = {
  ingest: IngestBatchPayload,
  compress: CompressPayload,
  detect: DetectPayload,
  logcheck: LogCheckPayload,
  rca: RcaPayload,
  notify: NotifyPayload,
  feedback: FeedbackPayload,
  train: TrainDetectorPayload,
} as const satisfies Record<QueueName, unknown>;

/** The payload type of a queue. */
export type JobData<Q extends QueueName> = z.infer<(typeof PAYLOADS)[Q]>;

/** Validates a payload for `queue`; throws InputError naming the queue and the bad field. */
export function parsePayload<Q extends QueueName>(queue: Q, data: unknown): JobData<Q> {
  const r = PAYLOADS[queue].safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`${queue} job › ${issue?.path.join('.') || '(payload)'}`, issue?.message ?? 'invalid payload');
  }
  return r.data as JobData<Q>;
}

/** True when `s` names a queue. */
export const isQueueName = (s: string): s is QueueName => (QUEUES as readonly string[]).includes(s);

/**
 * The job id derived from content, so enqueuing the same work twice is one job: RCA and notify by
 * (incident, revision), feedback by (incident, entity, who, verdict), everything else by payload hash.
 * Ids avoid `:` (BullMQ reserves it) and are never bare integers.
 */
export function jobIdFor<Q extends QueueName>(queue: Q, data: JobData<Q>): string {
  switch (queue) {
    case 'rca':
    case 'notify': {
      const d = data as JobData<'rca'>;
      return `${queue}-${d.incident}-r${d.revision}`;
    }
    case 'feedback': {
      const d = data as JobData<'feedback'>;
      return `feedback-${d.incident}-${hash(`${d.entity}|${d.by}|${d.verdict}`)}`;
    }
    default:
      return `${queue}-${hash(stableJson(data))}`;
  }
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 24);

// JSON with sorted keys, so the same content gives the same id whatever the key order.
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** Retry policy shared by both runners: attempts and exponential backoff (delay · 2^(attempt−1)). */
export const RETRY = { attempts: 5, backoffMs: 1_000 };
