/** LogAggregator's persisted state: plain JSON, validated on the way back in. */
import { z } from 'zod';
import { InputError } from '../../errors.js';

/** `[windowStart, lines, errorLines]`. */
const WindowCount = z.tuple([z.number(), z.number().int().nonnegative(), z.number().int().nonnegative()]);

const TemplateEntry = z.object({
  uid: z.string().min(1),
  service: z.string(),
  namespace: z.string(),
  templateId: z.string().min(1),
  text: z.string(),
  windows: z.array(WindowCount),
  /** Set when the miner merged this template into another: the survivor's uid. */
  mergedInto: z.string().min(1).optional(),
  /** Whether its node was written under `uid` (absent in older states: taken as written). */
  written: z.boolean().optional(),
});

const StateSchema = z.object({
  version: z.literal(1),
  options: z.object({
    windowMs: z.number().positive(),
    retainWindows: z.number().int().positive(),
    cluster: z.string(),
  }),
  /** Start of the newest window seen (ms), null before the first line. */
  newest: z.number().nullable(),
  maxTimeMs: z.number(),
  /** One miner per (namespace, service), in the order they were made. */
  miners: z.array(z.object({ namespace: z.string(), service: z.string(), miner: z.unknown() })),
  templates: z.array(TemplateEntry),
  /** Window start → hashes of the lines counted in it (replays are recognised across a restart). */
  seen: z.array(z.tuple([z.number(), z.array(z.number())])),
  /** Uids of templates changed since the last drain. */
  dirty: z.array(z.string()),
});

/** What `LogAggregator.snapshot()` returns and `LogAggregator.restore()` accepts. */
export type LogAggregatorState = z.infer<typeof StateSchema>;

/** Validates aggregator state; throws InputError naming the first bad field. */
export function parseLogAggregatorState(data: unknown): LogAggregatorState {
  const r = StateSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`log aggregator state › ${issue.path.join('.')}`, issue.message, {
      hint: 'Pass the object that LogAggregator.snapshot() produced (state of older versions: delete it).',
    });
  }
  const uids = new Set(r.data.templates.map((t) => t.uid));
  for (const [i, t] of r.data.templates.entries()) {
    if (t.mergedInto !== undefined && !uids.has(t.mergedInto))
      throw new InputError(`log aggregator state › templates.${i}.mergedInto`, `no template ${t.mergedInto}`);
  }
  for (const [i, u] of r.data.dirty.entries()) {
    if (!uids.has(u)) throw new InputError(`log aggregator state › dirty.${i}`, `no template ${u}`);
  }
  return r.data;
}
