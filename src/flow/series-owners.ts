import type { GraphStore } from '../graph/graph-store.js';
import type { Uid } from '../model/graph.js';
import { uids } from '../model/uid.js';

/**
 * Which entity a metric source's entity key means, as ingest recorded it on the MetricSeries nodes
 * (`entity` key → `entityUid`). A key never recorded falls back to a Service of that name
 * (`namespace/name` or a bare name in the default namespace), as case files and pushes name services.
 */
export async function seriesOwners(graph: GraphStore): Promise<(key: string) => Uid> {
  const owners = new Map<string, Uid>();
  for (const n of await graph.findNodes({ label: 'MetricSeries' })) {
    const { entity, entityUid } = n.props;
    if (typeof entity === 'string' && typeof entityUid === 'string') owners.set(entity, entityUid);
  }
  return (key) => {
    const known = owners.get(key);
    if (known) return known;
    const slash = key.indexOf('/');
    return slash < 0 ? uids.service(key) : uids.service(key.slice(slash + 1), key.slice(0, slash));
  };
}

/**
 * The metric-source keys whose series ingest hung off `entities` (`entity -[:HAS_SERIES]-> MetricSeries`),
 * each with the entities among them that own it (key → uids). Keys no such entity owns are absent.
 * At most `maxNodes` series nodes are read.
 */
export async function recordedSeriesKeys(
  graph: GraphStore,
  entities: readonly Uid[],
  opts: { maxNodes?: number } = {},
): Promise<Map<string, Uid[]>> {
  const out = new Map<string, Uid[]>();
  if (entities.length === 0) return out;
  const sub = await graph.neighbourhood([...entities], {
    hops: 1,
    edges: ['HAS_SERIES'],
    direction: 'out',
    maxNodes: entities.length + (opts.maxNodes ?? 20_000),
  });
  const wanted = new Set(entities);
  const keyOf = new Map<Uid, string>();
  for (const n of sub.nodes)
    if (n.label === 'MetricSeries' && typeof n.props.entity === 'string') keyOf.set(n.uid, n.props.entity);
  for (const e of sub.edges) {
    const key = keyOf.get(e.to);
    if (e.type !== 'HAS_SERIES' || key === undefined || !wanted.has(e.from)) continue;
    const owners = out.get(key);
    if (!owners) out.set(key, [e.from]);
    else if (!owners.includes(e.from)) owners.push(e.from);
  }
  return out;
}
