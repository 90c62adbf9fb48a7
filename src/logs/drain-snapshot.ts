/** The miner's persisted state: plain JSON, validated on the way back in. */
import { z } from 'zod';
import { InputError } from '../errors.js';

const FamilyState = z.object({
  seq: z.number().int().positive(),
  /** The tokens of the family's first message. */
  base: z.array(z.string()),
  /** Positions known to be variables. */
  variable: z.array(z.number().int().nonnegative()),
});

const GroupState = z.object({
  seq: z.number().int().positive(),
  family: z.number().int().positive(),
  tokens: z.array(z.string()),
  gaps: z.array(z.union([z.literal(0), z.literal(1)])),
  gapText: z.array(z.string()),
  /** Lines that joined this group itself. */
  size: z.number().int().nonnegative(),
  /** The group whose id this group's lines report (itself, or the one it merged into). */
  root: z.number().int().positive(),
});

const SnapshotSchema = z.object({
  version: z.literal(2),
  options: z.object({
    prefixTokens: z.number().int().nonnegative(),
    similarity: z.number().min(0).max(1),
    maxChildren: z.number().int().min(2),
    /** -1 stands for "unbounded" (JSON has no Infinity). */
    maxClusters: z.number().int().min(-1),
    wordVariableAfter: z.number().int().min(2),
  }),
  nextSeq: z.number().int().positive(),
  nextFamily: z.number().int().positive(),
  /** Words seen as a variable's value, in the order learnt. */
  values: z.array(z.string()),
  /** Least recently used first. */
  families: z.array(FamilyState),
  /** In id order. */
  groups: z.array(GroupState),
});

/** What `TemplateMiner.snapshot()` returns and `TemplateMiner.restore()` accepts. */
export type MinerSnapshot = z.infer<typeof SnapshotSchema>;

/** Validates snapshot data; throws InputError naming the first bad field. */
export function parseMinerSnapshot(data: unknown): MinerSnapshot {
  const r = SnapshotSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`miner snapshot › ${issue.path.join('.')}`, issue.message, {
      hint: 'Pass the object that TemplateMiner.snapshot() produced (state files of older versions: delete them).',
    });
  }
  const snap = r.data;
  const families = new Map(snap.families.map((f) => [f.seq, f]));
  const groups = new Set(snap.groups.map((g) => g.seq));
  const roots = new Map(snap.groups.map((g) => [g.seq, g.root]));
  const fail = (where: string, what: string) => new InputError(`miner snapshot › ${where}`, what);
  for (const [i, f] of snap.families.entries()) {
    if (f.seq >= snap.nextFamily) throw fail(`families.${i}.seq`, 'is not below nextFamily');
    if (f.variable.some((p) => p >= f.base.length))
      throw fail(`families.${i}.variable`, 'names a position past the end');
  }
  for (const [i, g] of snap.groups.entries()) {
    const f = families.get(g.family);
    if (!f) throw fail(`groups.${i}.family`, `no family ${g.family}`);
    if (g.tokens.length !== f.base.length) throw fail(`groups.${i}.tokens`, `expected ${f.base.length} tokens`);
    if (g.gaps.length !== g.tokens.length + 1 || g.gapText.length !== g.gaps.length) {
      throw fail(`groups.${i}.gaps`, `expected ${g.tokens.length + 1} gaps`);
    }
    if (g.seq >= snap.nextSeq) throw fail(`groups.${i}.seq`, 'is not below nextSeq');
    if (!groups.has(g.root)) throw fail(`groups.${i}.root`, `no group ${g.root}`);
    if (roots.get(g.root) !== g.root) throw fail(`groups.${i}.root`, `group ${g.root} is not a root`);
    if (i > 0 && snap.groups[i - 1].seq >= g.seq) throw fail(`groups.${i}.seq`, 'groups are not in id order');
  }
  return snap;
}
