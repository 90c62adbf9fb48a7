/**
 * Which Kubernetes objects select or manage which by labels: a Service SELECTS the workloads whose
 * pod template its selector matches (Deployment, StatefulSet, DaemonSet, ReplicaSet) and the Pods it
 * matches; a controller MANAGES, by its selector, the Pods that carry no owner reference (owned Pods
 * are linked by their ownerReferences instead). Each rule looks at one pair of objects only, so the
 * links depend on the final state of each object and never on the order in which they arrived.
 */
import type { EdgeRecord, NodeRecord, PropValue, Uid } from '../../model/graph.js';
import type { K8sObject } from './k8s-object.js';

/** Kinds that take part in selector links. */
export type LinkKind = 'Service' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Pod';

const CONTROLLERS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
const LINK_KINDS: ReadonlySet<string> = new Set([...CONTROLLERS, 'Service', 'Pod']);

/** True for the kinds that take part in selector links. */
export const isLinkKind = (kind: string): kind is LinkKind => LINK_KINDS.has(kind);

/** What the rules need to know about one object, read from its manifest or from the graph. */
export interface LinkEnd {
  uid: Uid;
  kind: LinkKind;
  namespace: string;
  /** A Service's `spec.selector`, a controller's `spec.selector.matchLabels`; empty selects nothing. */
  selector: Record<string, string>;
  /** A Pod's labels, or a controller's pod template labels. */
  podLabels: Record<string, string>;
  /** A Pod with at least one owner reference (its owner MANAGES it, not a selector). */
  owned: boolean;
}

/** The edge props that mark a link as derived from selectors (and so recomputed, never kept stale). */
export const SELECTOR_VIA = 'selector';
/** The edge props that mark a MANAGES as read from the owned object's `ownerReferences`. */
export const OWNER_VIA = 'ownerReference';

/** Kubernetes equality-based selection: every key of a non-empty selector has the same value. Pure. */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** The link end of a validated object; undefined for kinds without selector links. Pure. */
export function linkEndOf(o: K8sObject, id: Uid): LinkEnd | undefined {
  if (!isLinkKind(o.kind)) return undefined;
  return {
    uid: id,
    kind: o.kind,
    namespace: o.namespace ?? 'default',
    selector: o.selector ?? {},
    podLabels: o.kind === 'Pod' ? (o.pod?.labels ?? o.labels) : (o.pod?.labels ?? {}),
    owned: o.ownerRefs.length > 0,
  };
}

/** `["app=cart", …]` (how the graph stores label maps) back to a map. */
export function labelMap(kvs: PropValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of Array.isArray(kvs) ? kvs : []) {
    if (typeof s !== 'string') continue;
    const i = s.indexOf('=');
    if (i > 0) out[s.slice(0, i)] = s.slice(i + 1);
  }
  return out;
}

/**
 * The link end of a node written by the k8s adapter (props `namespace`, `selector`, `labels` or
 * `podLabels`, `owners`); `owned` also holds when the graph shows an owner link into it. Pure.
 */
export function linkEndFromNode(n: NodeRecord, ownedInGraph = false): LinkEnd | undefined {
  const ns = n.props.namespace;
  if (!isLinkKind(n.label) || typeof ns !== 'string') return undefined;
  const owners = n.props.owners;
  return {
    uid: n.uid,
    kind: n.label,
    namespace: ns,
    selector: labelMap(n.props.selector),
    podLabels: labelMap(n.label === 'Pod' ? n.props.labels : n.props.podLabels),
    owned: ownedInGraph || (Array.isArray(owners) && owners.length > 0),
  };
}

/** The one rule between an ordered pair, or undefined. Pure. */
function linkBetween(a: LinkEnd, b: LinkEnd): EdgeRecord | undefined {
  if (a.namespace !== b.namespace || a.uid === b.uid || !selects(a.selector, b.podLabels)) return undefined;
  if (a.kind === 'Service' && b.kind !== 'Service')
    return { type: 'SELECTS', from: a.uid, to: b.uid, props: { via: SELECTOR_VIA } };
  if (CONTROLLERS.has(a.kind) && b.kind === 'Pod' && !b.owned)
    return { type: 'MANAGES', from: a.uid, to: b.uid, props: { via: SELECTOR_VIA } };
  return undefined;
}

const kvKey = (k: string, v: string) => `${k}\u0000${v}`;
export const edgeKey = (e: Pick<EdgeRecord, 'type' | 'from' | 'to'>): string => `${e.type} ${e.from} ${e.to}`;

interface NamespaceIndex {
  /** Ends with a non-empty selector, by its first entry (`key\0value`): a match must carry that label. */
  sources: Map<string, LinkEnd[]>;
  /** Ends by each of their pod labels (`key\0value`). */
  targets: Map<string, LinkEnd[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function indexByNamespace(ends: Iterable<LinkEnd>): Map<string, NamespaceIndex> {
  const out = new Map<string, NamespaceIndex>();
  for (const e of ends) {
    let ix = out.get(e.namespace);
    if (!ix) out.set(e.namespace, (ix = { sources: new Map(), targets: new Map() }));
    const [first] = Object.entries(e.selector);
    if (first) push(ix.sources, kvKey(first[0], first[1]), e);
    for (const [k, v] of Object.entries(e.podLabels)) push(ix.targets, kvKey(k, v), e);
  }
  return out;
}

/**
 * Every selector link with at least one end in `batch`, the other end in `batch` or `known` (what the
 * graph holds); a batch end replaces a known end of the same uid. Sorted by (type, from, to). Pure.
 * Candidates come from label indexes, so the work grows with the matches, not with namespace size².
 */
export function selectorLinks(batch: readonly LinkEnd[], known: readonly LinkEnd[]): EdgeRecord[] {
  const all = new Map<Uid, LinkEnd>();
  for (const e of known) all.set(e.uid, e);
  for (const e of batch) all.set(e.uid, e);
  const index = indexByNamespace(all.values());
  const out = new Map<string, EdgeRecord>();
  const add = (edge: EdgeRecord | undefined) => {
    if (edge) out.set(edgeKey(edge), edge);
  };
  for (const id of new Set(batch.map((e) => e.uid))) {
    const e = all.get(id) as LinkEnd;
    const ix = index.get(e.namespace) as NamespaceIndex;
    const [first] = Object.entries(e.selector);
    if (first) for (const t of ix.targets.get(kvKey(first[0], first[1])) ?? []) add(linkBetween(e, t));
    for (const [k, v] of Object.entries(e.podLabels))
      for (const s of ix.sources.get(kvKey(k, v)) ?? []) add(linkBetween(s, e));
  }
  return [...out.keys()].sort().map((k) => out.get(k) as EdgeRecord);
}

/**
 * The links the graph holds that the batch no longer implies: selector links touching a batch object
 * that `fresh` lacks, and owner links into a batch object that its ownerReferences no longer name.
 * Links of other origin (telemetry) are never stale. Pure.
 */
export function staleLinks(
  existing: readonly EdgeRecord[],
  fresh: readonly EdgeRecord[],
  batchUids: ReadonlySet<Uid>,
): EdgeRecord[] {
  const keep = new Set(fresh.map(edgeKey));
  return existing.filter((e) => {
    if ((e.type !== 'SELECTS' && e.type !== 'MANAGES') || keep.has(edgeKey(e))) return false;
    if (e.props.via === SELECTOR_VIA) return batchUids.has(e.from) || batchUids.has(e.to);
    return e.props.via === OWNER_VIA && batchUids.has(e.to);
  });
}
