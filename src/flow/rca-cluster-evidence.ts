/**
 * Kubernetes evidence for the RCA input: the live watch's Events and container statuses (Anomaly
 * nodes with `source: 'k8s'`, FOUND_ON a Pod or Node) become error-level log lines of that entity, one
 * per occurrence, so `scoreLogs` sees an OOMKilled burst like an error-log burst; `Change` nodes
 * (rollouts, config edits, cordons) CHANGED into a candidate become change evidence.
 */
import type { GraphStore } from '../graph/graph-store.js';
import type { Uid } from '../model/graph.js';
import type { ChangeIn } from '../rca/change-evidence.js';
import type { LogIn } from '../rca/log-evidence.js';

export const DEFAULTS = {
  /** Occurrences of one event turned into log lines, at most (a count of 500 need not be 500 lines). */
  maxLinesPerEvent: 20,
  maxNodes: 2_000,
};

/** Reads the evidence attached to `candidates` (uids). Times are unix seconds. Never throws for sparse data. */
export async function readClusterEvidence(
  graph: GraphStore,
  candidates: readonly Uid[],
  opts: Partial<typeof DEFAULTS> = {},
): Promise<{ logs: LogIn[]; changes: ChangeIn[] }> {
  const o = { ...DEFAULTS, ...opts };
  if (candidates.length === 0) return { logs: [], changes: [] };
  const sub = await graph.neighbourhood([...candidates], {
    hops: 1,
    edges: ['FOUND_ON', 'CHANGED'],
    direction: 'in',
    maxNodes: o.maxNodes,
  });
  const wanted = new Set(candidates);
  const byUid = new Map(sub.nodes.map((n) => [n.uid, n]));
  const logs: LogIn[] = [];
  const changes: ChangeIn[] = [];
  for (const e of sub.edges) {
    const n = byUid.get(e.from);
    if (!n || !wanted.has(e.to)) continue;
    const p = n.props;
    if (e.type === 'FOUND_ON' && n.label === 'Anomaly' && p.source === 'k8s') {
      const start = Number(p.start),
        end = Number(p.end ?? p.start);
      if (!Number.isFinite(start)) continue;
      const lines = Math.min(o.maxLinesPerEvent, Math.max(1, Number(p.count) || 1));
      const message = `${String(p.reason ?? 'event')}: ${String(p.summary ?? '')}`;
      for (let i = 0; i < lines; i++) {
        const t = lines === 1 ? end : start + ((end - start) * i) / (lines - 1);
        logs.push({ timestamp: t, entity: e.to, level: 'error', message });
      }
    } else if (e.type === 'CHANGED' && n.label === 'Change' && typeof p.at === 'number') {
      const by = typeof p.by === 'string' ? ` by ${p.by}` : '';
      changes.push({ entity: e.to, at: p.at / 1000, description: `${String(p.summary ?? 'changed')}${by}` });
    }
  }
  return { logs, changes };
}
