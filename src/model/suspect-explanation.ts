/**
 * Why a root-cause suspect is ranked where it is, as an incident stores it. src/rca/explain.ts builds
 * the full value; every part is optional here because incidents stored by older versions (or written by
 * hand) may lack parts, and a card shows what is there. Times are unix **seconds** throughout.
 * `parseSuspectExplanation` reads a stored value back, accepting the older shapes.
 */
import { z } from 'zod';

// JSON has no NaN or Infinity: JSON.stringify writes null, which reads back as NaN.
const num = z.union([z.number(), z.null().transform(() => Number.NaN)]);

/** A metric that moved: robust z, the normal level and the window value furthest from it. */
export const ExplainedMetricSchema = z.object({
  metric: z.string(),
  z: num,
  normal: num.optional(),
  peak: num.optional(),
  /** Evidence size (|z| in the harmful direction). */
  harm: num.optional(),
  /** The entity the series measures when it is not the suspect (the callee of a calls-per-request series). */
  of: z.string().optional(),
  /** The caller that calls the suspect less: this fall in load is that caller's doing. */
  lessCalledBy: z.string().optional(),
  /** The callee whose trouble this move echoes: the suspect calls it from off the alarm's path. */
  echoOf: z.string().optional(),
});

/** A log template whose error lines surged; older incidents stored `text` or a bare string. */
export const ExplainedLogTemplateSchema = z.preprocess(
  (v) => {
    if (typeof v === 'string') return { template: v };
    if (v && typeof v === 'object' && !('template' in v) && 'text' in v) return { ...v, template: v.text };
    return v;
  },
  z.object({ template: z.string(), windowCount: num.optional(), expected: num.optional(), z: num.optional() }),
);

/** A change near the start. `at` is unix seconds; older incidents stored milliseconds, converted on read. */
export const ExplainedChangeSchema = z.preprocess(
  (v) => {
    if (!isRecord(v)) return v;
    const r = v;
    const out: Record<string, unknown> = { ...r };
    if (r.description === undefined && typeof r.kind === 'string') out.description = r.kind;
    // Epoch milliseconds exceed 1e11 after 1973; seconds will not before the year 5138.
    if (typeof r.at === 'number' && r.at >= 1e11) out.at = r.at / 1000;
    return out;
  },
  z.object({ entity: z.string().optional(), at: num.optional(), description: z.string() }),
);

/** The explanation an incident keeps per suspect. */
export const SuspectExplanationSchema = z.object({
  /** Normalised per-component scores in [0, 1] (stats, walk, traversal, traces, logs, changes …). */
  components: z.record(z.string(), num).optional(),
  /** The metrics that moved most harmfully, strongest first. */
  metrics: z.array(ExplainedMetricSchema).optional(),
  logTemplates: z.array(ExplainedLogTemplateSchema).optional(),
  /** The suspect's most suspicious trace operation (MicroRank). */
  trace: z.object({ operation: z.string(), score: num }).nullable().optional(),
  /** The suspect's own trace shift beyond the noise margin (trace-shift-words.ts says it in words). */
  traceShift: z
    .object({
      operation: z.string(),
      kind: z.enum(['own', 'wire', 'reply']),
      latencyZ: num,
      errorZ: num,
      callsZ: num.optional(),
      calls: z.object({ child: z.string(), normal: num, window: num, confirmed: z.boolean().optional() }).optional(),
    })
    .nullable()
    .optional(),
  changes: z.array(ExplainedChangeSchema).optional(),
  /** Propagation path from the suspect to the entry (entity ids), inclusive; null when not connected. */
  path: z.array(z.string()).nullable().optional(),
  /** How the behaviour graph was obtained (`topology`, `traces`, `pc-skeleton`, `none`). */
  graph: z.string().optional(),
  /** Caveats that lower confidence: a missing modality, a short baseline. */
  notes: z.array(z.string()).optional(),
  /** Its SLIs are measured and stayed normal: its callers saw nothing of it. */
  slisNormal: z.boolean().optional(),
});

/** See SuspectExplanationSchema. */
export type SuspectExplanation = z.infer<typeof SuspectExplanationSchema>;

/**
 * Reads a stored explanation back. Older shapes are converted (see the schemas); a part that does not
 * parse is left out rather than failing the whole incident (the suspect's `why` line still says it). Pure.
 */
export function parseSuspectExplanation(raw: unknown): SuspectExplanation {
  const whole = SuspectExplanationSchema.safeParse(raw ?? {});
  if (whole.success) return whole.data;
  if (!isRecord(raw)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(SuspectExplanationSchema.shape)) {
    const part = schema.safeParse(raw[key]);
    if (part.success && part.data !== undefined) out[key] = part.data;
  }
  return out as SuspectExplanation;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
