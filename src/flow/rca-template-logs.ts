/**
 * Application logs for the RCA input: the ingest aggregator keeps no raw lines, but each LogTemplate
 * node (EMITTED_BY a Service) carries its per-window line and error counts. Each window of a candidate's
 * templates becomes two weighted records (its error lines and its other lines, `count` = how many), so
 * `scoreLogs` judges a live incident's logs as it judges a case's logs.csv.
 */
import type { GraphStore } from '../graph/graph-store.js';
import type { Uid } from '../model/graph.js';
import type { LogIn } from '../rca/log-evidence.js';

export const DEFAULTS = {
  /** Template nodes read at most. */
  maxNodes: 20_000,
};

/** Weighted log records of `candidates`' templates in [fromS, toS] (unix seconds). Never throws for sparse data. */
export async function readTemplateLogs(
  graph: GraphStore,
  candidates: readonly Uid[],
  window: { fromS: number; toS: number },
  opts: Partial<typeof DEFAULTS> = {},
): Promise<LogIn[]> {
  const o = { ...DEFAULTS, ...opts };
  if (candidates.length === 0) return [];
  const sub = await graph.neighbourhood([...candidates], {
    hops: 1,
    edges: ['EMITTED_BY'],
    direction: 'in',
    maxNodes: candidates.length + o.maxNodes,
  });
  const wanted = new Set(candidates);
  const byUid = new Map(sub.nodes.map((n) => [n.uid, n]));
  const logs: LogIn[] = [];
  for (const e of sub.edges) {
    const n = byUid.get(e.from);
    if (e.type !== 'EMITTED_BY' || !n || n.label !== 'LogTemplate' || !wanted.has(e.to)) continue;
    const p = n.props;
    // A merged-away template's counts live on the node it was merged into.
    if (typeof p.mergedInto === 'string' || typeof p.template !== 'string') continue;
    const starts = numbers(p.windowStarts),
      counts = numbers(p.counts),
      errors = numbers(p.errorCounts);
    const half = (Number(p.windowMs) || 60_000) / 2;
    starts.forEach((startMs, i) => {
      const t = (startMs + half) / 1000;
      if (!(t >= window.fromS && t <= window.toS)) return;
      const all = counts[i] ?? 0,
        bad = Math.min(all, errors[i] ?? 0);
      if (bad > 0) logs.push({ timestamp: t, entity: e.to, level: 'error', message: p.template as string, count: bad });
      if (all > bad)
        logs.push({ timestamp: t, entity: e.to, level: 'info', message: p.template as string, count: all - bad });
    });
  }
  return logs;
}

function numbers(v: unknown): number[] {
  return Array.isArray(v) ? v.map((x) => Number(x)) : [];
}
