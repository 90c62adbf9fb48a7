/**
 * Candidates that are one workload, from SELECTS edges (Service → the workloads and pods it fronts): a
 * selected candidate belongs to the narrowest Service selecting it, and Services selecting exactly the
 * same candidates (a headless Service beside a ClusterIP one) are one. A broad Service (one selector
 * over the whole shop) joins nothing: it is neither the narrow Services nor their pods. Pure.
 */

/** Each grouped candidate → its group's representative; representatives are left out (they stand for themselves). */
export function workloadGroups(selects: ReadonlyArray<{ from: string; to: string }>): Map<string, string> {
  const selected = new Map<string, Set<string>>();
  for (const { from, to } of selects) {
    const set = selected.get(from);
    if (set) set.add(to);
    else selected.set(from, new Set([to]));
  }
  const services = [...selected.keys()].sort();
  const selection = (s: string) => [...selected.get(s)!].sort().join('\u0000');
  const repOf = new Map<string, string>(); // a selection → the least Service with it
  for (const s of services) if (!repOf.has(selection(s))) repOf.set(selection(s), s);
  const out = new Map<string, string>();
  for (const s of services) {
    const rep = repOf.get(selection(s))!;
    if (rep !== s) out.set(s, rep);
  }
  const narrowest = new Map<string, string>();
  for (const s of services)
    for (const m of selected.get(s)!) {
      const best = narrowest.get(m);
      if (best === undefined || selected.get(s)!.size < selected.get(best)!.size) narrowest.set(m, s);
    }
  for (const [m, s] of narrowest) if (!selected.has(m)) out.set(m, repOf.get(selection(s))!);
  return out;
}
