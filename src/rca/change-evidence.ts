/**
 * Change evidence: a deployment or config change to a candidate shortly before the incident is a
 * classic root cause ("what changed?"; cf. Google SRE book ch. 12). Score decays linearly with age.
 */

export const DEFAULTS = {
  /** Changes older than this many seconds before the start carry no weight. */
  lookback: 3600,
  /** Changes up to this many seconds after the start still count (clock skew, slow rollout). */
  grace: 300,
};

/** A change to an entity (e.g. a `Change` node: rollout, config edit). */
export interface ChangeIn {
  entity: string;
  /** Unix seconds. */
  at: number;
  description: string;
}

export interface EntityChangeEvidence {
  entity: string;
  score: number;
  changes: ChangeIn[];
}

/** Scores each changed entity in [0, 1]: 1 for a change right at the start, 0 beyond `lookback`. Pure. */
export function scoreChanges(
  changes: readonly ChangeIn[],
  start: number,
  opts: Partial<typeof DEFAULTS> = {},
): Map<string, EntityChangeEvidence> {
  const o = { ...DEFAULTS, ...opts };
  const out = new Map<string, EntityChangeEvidence>();
  for (const c of changes) {
    if (c.at < start - o.lookback || c.at > start + o.grace) continue;
    const score = 1 - Math.max(0, start - c.at) / o.lookback;
    let ev = out.get(c.entity);
    if (!ev) out.set(c.entity, (ev = { entity: c.entity, score: 0, changes: [] }));
    ev.changes.push(c);
    ev.score = Math.max(ev.score, score);
  }
  return out;
}
