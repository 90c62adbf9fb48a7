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
