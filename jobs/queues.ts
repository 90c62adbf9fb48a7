/**
 * Queue names, payload schemas and job ids of rootgraph's background jobs. Payloads are validated
 * when enqueued and again when processed (a payload crosses Redis as JSON; bad ones fail unrecoverably).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InputError } from '../src/errors.js';
import type {
  CompressJobInput,
  DetectJobInput,
  FeedbackJobInput,
  IngestBatchJobInput,
  LogCheckJobInput,
  NotifyJobInput,
  RcaJobInput,
} from '../src/incidents/job-inputs.js';
import { EDGE_TYPES, NODE_LABELS } from '../src/model/graph.js';

/** Every queue, by role. Names are also the `rootgraph worker --queues` vocabulary. */
export const QUEUES = ['ingest', 'detect', 'logcheck', 'compress', 'rca', 'notify', 'feedback'] as const;
export type QueueName = (typeof QUEUES)[number];

/**
 * Queues whose processor keeps state or read-modify-writes shared state (the alert compressor, the
 * RCA model): processed one job at a time per prefix (BullMQ: worker concurrency 1 and global
 * concurrency 1), so two processes never interleave them.
 */
export const SERIAL_QUEUES: ReadonlySet<QueueName> = new Set(['compress', 'feedback']);

const prop = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string()),
  z.array(z.number()),
  z.array(z.boolean()),
]);
const props = z.record(z.string(), prop);
const ms = z.number().int().nonnegative();

const IngestBatch = z.object({
  source: z.string().min(1),
  batch: z.object({
    nodes: z.array(z.object({ label: z.enum(NODE_LABELS), uid: z.string().min(1), props })),
    edges: z.array(z.object({ type: z.enum(EDGE_TYPES), from: z.string().min(1), to: z.string().min(1), props })),
    observedAt: ms.optional(),
  }),
});

const Alert = z.object({
  fingerprint: z.string().min(1),
  name: z.string(),
  status: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  startsAt: ms,
  endsAt: ms.nullable(),
  generatorURL: z.string().nullable(),
  entity: z.string().nullable(),
});

/** Payload schema per queue; each `satisfies` the plain input type its processor takes. */
export const PAYLOADS = {
  ingest: IngestBatch satisfies z.ZodType<IngestBatchJobInput>,
  compress: z.union([
    z.object({ alerts: z.array(Alert).min(1), receivedAt: ms }),
    z.object({
      correction: z.discriminatedUnion('kind', [
        z.object({
          kind: z.literal('merge'),
          into: z.number().int().positive(),
          from: z.number().int().positive(),
          by: z.string().min(1),
          at: ms,
        }),
        z.object({
          kind: z.literal('split'),
          incident: z.number().int().positive(),
          fingerprints: z.array(z.string().min(1)).min(1),
          by: z.string().min(1),
          at: ms,
        }),
      ]),
    }),
    z.object({ tick: z.literal(true) }),
  ]) satisfies z.ZodType<CompressJobInput>,
  detect: z.object({
    lookbackS: z.number().int().positive(),
    stepS: z.number().int().positive(),
    detector: z.enum(['robust-z', 'ewma', 'spot', 'dspot']),
    entities: z.array(z.string()).optional(),
  }) satisfies z.ZodType<DetectJobInput>,
  logcheck: z.object({
    windowMs: z.number().int().positive(),
    baselineMs: z.number().int().positive(),
  }) satisfies z.ZodType<LogCheckJobInput>,
  rca: z.object({
    incident: z.number().int().positive(),
    revision: z.number().int().positive(),
  }) satisfies z.ZodType<RcaJobInput>,
  notify: z.object({
    incident: z.number().int().positive(),
    revision: z.number().int().positive(),
    channel: z.string().min(1).optional(),
  }) satisfies z.ZodType<NotifyJobInput>,
  feedback: z.object({
    incident: z.number().int().positive(),
    entity: z.string().min(1),
    verdict: z.enum(['root-cause', 'not-root-cause']),
    by: z.string().min(1),
    source: z.enum(['button', 'reaction', 'menu', 'cli', 'chat']),
    at: ms,
  }) satisfies z.ZodType<FeedbackJobInput>,
} as const;

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
