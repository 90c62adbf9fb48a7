/**
 * Candidates that are one workload: a Service, the pods and Deployment it selects, and every other
 * Service selecting the same pods (a headless Service beside a ClusterIP one). Pure.
 */

/**
 * Each candidate in a group of SELECTS edges → the group's representative (its least Service uid, else
 * its least uid); representatives are left out, as they stand for themselves.
 */
export function workloadGroups(
  selects: ReadonlyArray<{ from: string; to: string }>,
  isService: (uid: string) => boolean,
): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (u: string): string => {
    let root = u;
    while (parent.get(root) !== root) root = parent.get(root)!;
    // Point every node on the way at the root, so later finds are one step.
    for (let v = u; v !== root;) {
      const next = parent.get(v)!;
      parent.set(v, root);
      v = next;
    }
    return root;
  };
  const better = (a: string, b: string) => (isService(a) !== isService(b) ? (isService(a) ? a : b) : a < b ? a : b);
  for (const { from, to } of selects) {
    for (const u of [from, to]) if (!parent.has(u)) parent.set(u, u);
    const a = find(from),
      b = find(to);
    if (a === b) continue;
    const root = better(a, b);
    parent.set(a, root);
    parent.set(b, root);
  }
  const out = new Map<string, string>();
  for (const u of parent.keys()) {
    const root = find(u);
    if (root !== u) out.set(u, root);
  }
  return out;
}
