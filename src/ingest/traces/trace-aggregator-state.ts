/** TraceAggregator's persisted state: plain JSON, validated on the way back in. */
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { isEdgeType, isNodeLabel } from '../../model/graph.js';

const Span = z.object({
  service: z.string(),
  namespace: z.string(),
  pod: z.string().nullable(),
  machine: z.string().nullable(),
  traceId: z.string().min(1),
  spanId: z.string().min(1),
  parentSpanId: z.string().nullable(),
  operation: z.string(),
  startNs: z.number(),
  durationNs: z.number(),
  error: z.boolean(),
  peer: z.string().optional(),
});

/** `[windowStart, count, errors, sumMs, sketch]`, the sketch as LatencySketch.encode() gives it. */
export const WindowRow = z.tuple([
  z.number(),
  z.number().int().nonnegative(),
  z.number().int().nonnegative(),
  z.number(),
  z.string(),
]);

const Epoch = z.number().int().nonnegative();
const Props = z.record(z.string(), z.unknown());

/** The services, operations, pods and machines spans named, with the drain each last went into a batch. */
export const EntitiesState = z.object({
  /** In index order: a TracePattern's key names operations by their index. */
  operations: z.array(
    z.object({
      namespace: z.string(),
      service: z.string(),
      name: z.string(),
      epoch: Epoch,
      /** Root latency: `[n, mean, m2]` (Welford). */
      latency: z.tuple([z.number().int().nonnegative(), z.number(), z.number()]),
    }),
  ),
  services: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      epoch: Epoch,
      /** SELECTS links to pods: `[podNamespace, podName, epoch]`. */
      selects: z.array(z.tuple([z.string(), z.string(), Epoch])),
    }),
  ),
  pods: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      epoch: Epoch,
      /** RUNS_ON links: `[machineName, epoch]`. */
      runsOn: z.array(z.tuple([z.string(), Epoch])),
    }),
  ),
  machines: z.array(z.object({ name: z.string(), epoch: Epoch })),
});

const StateSchema = z.object({
  version: z.literal(1),
  options: z.object({
    windowMs: z.number().positive(),
    retainWindows: z.number().int().positive(),
    traceIdleMs: z.number().nonnegative(),
    rememberTraces: z.number().int().nonnegative(),
    latencySigmas: z.number(),
    minSamples: z.number().int().nonnegative(),
    cachedPods: z.number().int().nonnegative(),
    cluster: z.string(),
  }),
  /** The drain being built: entities whose epoch equals it are already in its batch. */
  epoch: Epoch,
  maxSpanEndMs: z.number(),
  /** Traces still open, oldest first, each with its spans in arrival order. */
  pending: z.array(z.object({ traceId: z.string().min(1), touchedAt: z.number(), spans: z.array(Span) })),
  /** Ids of traces already folded in, oldest first (replays of them are `late`). */
  closed: z.array(z.string()),
  entities: EntitiesState,
  /** CALLS edges and their windows. */
  edges: z.array(
    z.object({ type: z.string(), from: z.string(), to: z.string(), epoch: Epoch, windows: z.array(WindowRow) }),
  ),
  /** TracePatterns by key (the sorted distinct operation indexes, `3,7,`). */
  patterns: z.array(
    z.object({
      key: z.string().regex(/^(\d+,)+$/),
      normal: z.number().int().nonnegative(),
      anomalous: z.number().int().nonnegative(),
      epoch: Epoch,
    }),
  ),
  /** What the next drain's batch already holds: records, and indexes into `edges` and `patterns`. */
  dirty: z.object({
    nodes: z.array(z.object({ label: z.string(), uid: z.string(), props: Props })),
    links: z.array(z.object({ type: z.string(), from: z.string(), to: z.string(), props: Props })),
    calls: z.array(z.number().int().nonnegative()),
    patterns: z.array(z.number().int().nonnegative()),
  }),
});

/** What `TraceAggregator.snapshot()` returns and `TraceAggregator.restore()` accepts. */
export type TraceAggregatorState = z.infer<typeof StateSchema>;
export type TraceEntitiesState = z.infer<typeof EntitiesState>;
export type WindowState = z.infer<typeof WindowRow>;

/** Validates aggregator state; throws InputError naming the first bad field. */
export function parseTraceAggregatorState(data: unknown): TraceAggregatorState {
  const r = StateSchema.safeParse(data);
  const bad = (path: string, what: string): never => {
    throw new InputError(`trace aggregator state › ${path}`, what, {
      hint: 'Pass the object that TraceAggregator.snapshot() produced (state of older versions: delete it).',
    });
  };
  if (!r.success) return bad(r.error.issues[0].path.join('.'), r.error.issues[0].message);
  const s = r.data;
  const ops = s.entities.operations.length;
  for (const [i, p] of s.patterns.entries())
    for (const k of p.key.split(',').slice(0, -1)) if (Number(k) >= ops) bad(`patterns.${i}.key`, `no operation ${k}`);
  for (const [i, e] of s.edges.entries()) if (!isEdgeType(e.type)) bad(`edges.${i}.type`, `unknown type ${e.type}`);
  for (const [i, e] of s.dirty.links.entries())
    if (!isEdgeType(e.type)) bad(`dirty.links.${i}.type`, `unknown type ${e.type}`);
  for (const [i, n] of s.dirty.nodes.entries())
    if (!isNodeLabel(n.label)) bad(`dirty.nodes.${i}.label`, `unknown label ${n.label}`);
  for (const [i, k] of s.dirty.calls.entries()) if (k >= s.edges.length) bad(`dirty.calls.${i}`, `no edge ${k}`);
  for (const [i, k] of s.dirty.patterns.entries())
    if (k >= s.patterns.length) bad(`dirty.patterns.${i}`, `no pattern ${k}`);
  return s;
}
