import { RootgraphError } from '../errors.js';
import type { GraphStore } from '../graph/graph-store.js';
import { isNodeLabel, type NodeLabel, type NodeRecord } from '../model/graph.js';
import { shortName } from '../model/short-name.js';
import { labelOf } from '../model/uid.js';

/** Labels a person names by `name`, in the order a bare name is tried. */
const NAMED: NodeLabel[] = [
  'Service',
  'Deployment',
  'StatefulSet',
  'Pod',
  'Machine',
  'Namespace',
  'Ingress',
  'ConfigMap',
];

/** The entity a name resolved to, plus others with the same name (other namespaces, other kinds). */
export interface ResolvedEntity {
  node: NodeRecord;
  alternatives: NodeRecord[];
}

/**
 * Finds the graph node a person means by `name`: a uid (`Service:default/shop/cart`), `namespace/name`,
 * or a bare name (Service first, then Deployment, Pod, …). Throws NOT_FOUND with a hint when nothing matches.
 */
export async function resolveEntity(graph: GraphStore, name: string): Promise<ResolvedEntity> {
  if (isNodeLabel(labelOf(name))) {
    const node = await graph.getNode(name);
    if (node) return { node, alternatives: [] };
  }
  const slash = name.lastIndexOf('/');
  const namespace = slash > 0 ? name.slice(0, slash) : undefined;
  const bare = slash > 0 ? name.slice(slash + 1) : name;
  for (const label of NAMED) {
    let found = await graph.findNodes({ label, where: { name: bare }, limit: 50 });
    if (namespace)
      found = found.filter((n) => n.props.namespace === namespace || n.uid.includes(`/${encodePart(namespace)}/`));
    if (found.length > 0) {
      const sorted = [...found].sort((a, b) => a.uid.localeCompare(b.uid));
      return { node: sorted[0], alternatives: sorted.slice(1) };
    }
  }
  throw new RootgraphError('NOT_FOUND', `I know no service, deployment, pod or machine called "${name}".`, {
    hint: 'Check the spelling, or ask "list incidents" or "top anomalies" to see what is in the graph.',
  });
}

/** Service names mentioned in free text as whole words, longest first (so `cartservice` beats `cart`). */
export async function mentionedServices(graph: GraphStore, text: string): Promise<NodeRecord[]> {
  const services = await graph.findNodes({ label: 'Service', limit: 10_000 });
  const lower = text.toLowerCase();
  const hits = services.filter((s) => {
    const name = String(s.props.name ?? '').toLowerCase();
    if (name.length < 2) return false;
    const i = lower.indexOf(name);
    return i >= 0 && !/[\w-]/.test(lower[i - 1] ?? ' ') && !/[\w-]/.test(lower[i + name.length] ?? ' ');
  });
  return hits.sort((a, b) => String(b.props.name).length - String(a.props.name).length);
}

/** A short display name for an entity uid or node: a node's `name` prop, else the model's `shortName` of the uid. */
export function displayName(x: NodeRecord | string): string {
  if (typeof x !== 'string') return String(x.props.name ?? shortName(x.uid));
  return shortName(x);
}

function encodePart(p: string): string {
  return p.replaceAll('%', '%25').replaceAll('/', '%2F');
}
