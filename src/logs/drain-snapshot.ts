/** The miner's persisted state: plain JSON, validated on the way back in. */
import { z } from 'zod';
import { InputError } from '../errors.js';

const ClusterState = z.object({
  seq: z.number().int().positive(),
  tokens: z.array(z.string()),
  gaps: z.array(z.union([z.literal(0), z.literal(1)])),
  size: z.number().int().nonnegative(),
});

const SnapshotSchema = z.object({
  version: z.literal(1),
  options: z.object({
    prefixTokens: z.number().int().nonnegative(),
    similarity: z.number().min(0).max(1),
    maxChildren: z.number().int().min(2),
    /** -1 stands for "unbounded" (JSON has no Infinity). */
    maxClusters: z.number().int().min(-1),
    wordsSplit: z.boolean(),
    wordVariableAfter: z.number().int().min(1),
  }),
  nextSeq: z.number().int().positive(),
  /** Least recently used first. */
  clusters: z.array(ClusterState),
});

/** What `TemplateMiner.snapshot()` returns and `TemplateMiner.restore()` accepts. */
export type MinerSnapshot = z.infer<typeof SnapshotSchema>;

/** Validates snapshot data; throws InputError naming the first bad field. */
export function parseMinerSnapshot(data: unknown): MinerSnapshot {
  const r = SnapshotSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`miner snapshot › ${issue.path.join('.')}`, issue.message, {
      hint: 'Pass the object that TemplateMiner.snapshot() produced.',
    });
  }
  for (const [i, c] of r.data.clusters.entries()) {
    if (c.gaps.length !== c.tokens.length + 1) {
      throw new InputError(
        `miner snapshot › clusters.${i}.gaps`,
        `expected ${c.tokens.length + 1} gaps, got ${c.gaps.length}`,
      );
    }
    if (c.seq >= r.data.nextSeq) throw new InputError(`miner snapshot › clusters.${i}.seq`, 'is not below nextSeq');
  }
  return r.data;
}
