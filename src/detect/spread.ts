/**
 * "The anomaly spreads along the topology": at a step, the alarmed entities form a connected group
 * of at least `minEntities` in the (undirected) call graph. One entity alarming alone is common on a
 * normal day; neighbours alarming together is how a fault propagates (TopoMAD and CloudRanger both
 * rest on faults travelling along calls). Pure.
 */

/** Knobs of the spread rule. */
export const DEFAULTS = {
  /** Smallest connected group of alarmed entities that counts as spreading. */
  minEntities: 2,
};

/**
 * Per step, 1 when the entities alarmed at that step hold a connected group of ≥ `minEntities`
 * along `edges` (entities not in any edge never connect). `alarms` maps entity → per-step 0/1.
 */
export function spreadAlarms(
  alarms: ReadonlyMap<string, ArrayLike<number>>,
  edges: ReadonlyArray<readonly [string, string]>,
  steps: number,
  opts: Partial<typeof DEFAULTS> = {},
): Uint8Array {
  const o = { ...DEFAULTS, ...opts };
  const adj = new Map<string, string[]>();
  for (const [a, b] of edges) {
    if (a === b) continue;
    (adj.get(a) ?? adj.set(a, []).get(a)!).push(b);
    (adj.get(b) ?? adj.set(b, []).get(b)!).push(a);
  }
  const out = new Uint8Array(steps);
  const entities = [...alarms.keys()];
  for (let t = 0; t < steps; t++) {
    const on = new Set(entities.filter((e) => alarms.get(e)![t]));
    if (on.size < o.minEntities) continue;
    out[t] = largestGroup(on, adj) >= o.minEntities ? 1 : 0;
  }
  return out;
}

/** Size of the largest connected group within `on`. */
function largestGroup(on: ReadonlySet<string>, adj: ReadonlyMap<string, string[]>): number {
  const seen = new Set<string>();
  let best = 0;
  for (const start of on) {
    if (seen.has(start)) continue;
    seen.add(start);
    const stack = [start];
    let size = 0;
    while (stack.length > 0) {
      const u = stack.pop()!;
      size++;
      for (const w of adj.get(u) ?? [])
        if (on.has(w) && !seen.has(w)) {
          seen.add(w);
          stack.push(w);
        }
    }
    best = Math.max(best, size);
  }
  return best;
}
