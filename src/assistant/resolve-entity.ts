import { RootgraphError } from '../errors.js';
import type { GraphStore } from '../graph/graph-store.js';
import { isNodeLabel, type NodeLabel, type NodeRecord } from '../model/graph.js';
import { shortName } from '../model/short-name.js';
import { labelOf } from '../model/uid.js';
import { editDistance, fuzzyMatches, type FuzzyMatch } from './fuzzy.js';

/** Labels a person names by `name`, in the order a bare name is tried. */
export const NAMED: NodeLabel[] = [
  'Service',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Pod',
  'Machine',
  'Namespace',
  'Ingress',
  'ConfigMap',
];

/** The entity a name resolved to, how, and others with the same name (other namespaces, other kinds). */
export interface ResolvedEntity {
  node: NodeRecord;
  alternatives: NodeRecord[];
  /** How the typed name matched: `exact` (or a uid), else a prefix, a word of the name, or a typo. */
  match: FuzzyMatch['kind'];
  /** What the person typed. */
  typed: string;
}

/** How strict a lookup is: `strict` accepts exact names only (feedback must not guess). */
export interface ResolveOptions {
  strict?: boolean;
  /** Restrict to these candidates' names (an incident's suspects), tried before the graph. */
  among?: NodeRecord[];
}

// Nodes from manifests carry a namespace; a node only telemetry named (no namespace) ranks after them.
const richness = (n: NodeRecord) => (typeof n.props.namespace === 'string' ? 0 : 1);
const byPreference = (a: NodeRecord, b: NodeRecord) =>
  NAMED.indexOf(a.label) - NAMED.indexOf(b.label) || richness(a) - richness(b) || a.uid.localeCompare(b.uid);

/**
 * Finds the graph node a person means by `name`: a uid (`Service:default/shop/cart`), `namespace/name`,
 * a bare name (Service first, then Deployment, Pod, …), or — unless `strict` — the closest name by
 * prefix or edit distance (`checkout` → `checkoutservice`, `cartsevice` → `cartservice`). Throws
 * NOT_FOUND whose message asks "did you mean …?" when nothing is close enough.
 */
export async function resolveEntity(
  graph: GraphStore,
  name: string,
  opts: ResolveOptions = {},
): Promise<ResolvedEntity> {
  const typed = name.trim();
  if (isNodeLabel(labelOf(typed))) {
    const node = await graph.getNode(typed);
    if (node) return { node, alternatives: [], match: 'exact', typed };
  }
  const slash = typed.lastIndexOf('/');
  const namespace = slash > 0 ? typed.slice(0, slash) : undefined;
  const bare = slash > 0 ? typed.slice(slash + 1) : typed;
  const inNamespace = (n: NodeRecord) =>
    !namespace || n.props.namespace === namespace || n.uid.includes(`/${encodePart(namespace)}/`);
  const exact = [];
  for (const label of NAMED) {
    exact.push(...(await graph.findNodes({ label, where: { name: bare }, limit: 50 })).filter(inNamespace));
    if (exact.length > 0) break;
  }
  if (exact.length > 0) {
    const sorted = exact.sort(byPreference);
    return { node: sorted[0], alternatives: sorted.slice(1), match: 'exact', typed };
  }
  const candidates = (opts.among ?? (await namedNodes(graph))).filter(inNamespace);
  const byName = groupByName(candidates);
  // Among equally good matches a service beats a pod or a ConfigMap of a similar name.
  const labelRank = (name: string) => NAMED.indexOf(byName.get(name)?.[0]?.label ?? 'ConfigMap');
  const kindRank = (m: FuzzyMatch) => Math.floor(m.score);
  const matches = fuzzyMatches(bare, byName.keys(), 20).sort(
    (a, b) => kindRank(a) - kindRank(b) || labelRank(a.name) - labelRank(b.name) || a.score - b.score,
  );
  const best = matches[0];
  const second = matches[1];
  const clear =
    best !== undefined &&
    (best.kind === 'exact' ||
      second === undefined ||
      kindRank(best) < kindRank(second) ||
      labelRank(best.name) < labelRank(second.name) ||
      second.score - best.score >= 0.5);
  if (best && (best.kind === 'exact' || (!opts.strict && clear))) {
    const [node, ...alternatives] = byName.get(best.name) ?? [];
    if (node) return { node, alternatives, match: best.kind, typed };
  }
  throw notFound(typed, matches.map((m) => m.name).slice(0, 3), opts.strict === true);
}

/** NOT_FOUND for a name nothing matched; `suggestions` are the closest known names ("did you mean"). */
export class UnknownEntityError extends RootgraphError {
  constructor(
    readonly typed: string,
    readonly suggestions: string[],
    strict: boolean,
  ) {
    const dym = suggestions.length > 0 ? ` Did you mean ${orList(suggestions.map((s) => `\`${s}\``))}?` : '';
    super('NOT_FOUND', `I know no service, deployment, pod or machine called "${typed}".${dym}`, {
      hint: strict
        ? 'Name it exactly as the incident lists it; nothing was recorded.'
        : 'Check the spelling, or ask "incidents" or "what is firing" to see what is in the graph.',
    });
    this.name = 'UnknownEntityError';
  }
}

/** The NOT_FOUND a failed lookup throws, with suggestions when there are any. */
export function notFound(typed: string, suggestions: string[], strict: boolean): UnknownEntityError {
  return new UnknownEntityError(typed, suggestions, strict);
}

/** "a", "a or b", "a, b or c". */
export function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Labels that name one workload several ways: a Service and the Deployment behind it share a name. */
const WORKLOADS: NodeLabel[] = ['Service', 'Deployment', 'StatefulSet', 'DaemonSet'];

/**
 * The node and the other workload nodes of the same name in the same namespace (the Service
 * `cartservice` and the Deployment `cartservice`): evidence may hang on either, so answers read both.
 */
export async function siblings(graph: GraphStore, node: NodeRecord): Promise<NodeRecord[]> {
  if (!WORKLOADS.includes(node.label)) return [node];
  const name = node.props.name;
  if (typeof name !== 'string') return [node];
  const out = [node];
  for (const label of WORKLOADS) {
    if (label === node.label) continue;
    const same = await graph.findNodes({ label, where: { name }, limit: 50 });
    out.push(...same.filter((n) => n.props.namespace === node.props.namespace));
  }
  return out;
}

/** Every node a person may name, across NAMED labels. */
export async function namedNodes(graph: GraphStore): Promise<NodeRecord[]> {
  const all: NodeRecord[] = [];
  for (const label of NAMED) all.push(...(await graph.findNodes({ label, limit: 20_000 })));
  return all;
}

function groupByName(nodes: NodeRecord[]): Map<string, NodeRecord[]> {
  const out = new Map<string, NodeRecord[]>();
  for (const n of [...nodes].sort(byPreference)) {
    const name = displayName(n);
    const list = out.get(name) ?? [];
    list.push(n);
    out.set(name, list);
  }
  return out;
}

/**
 * Service names mentioned in free text as whole words, longest first (so `cartservice` beats `cart`);
 * a word within a typo of a service name counts too.
 */
export async function mentionedServices(graph: GraphStore, text: string): Promise<NodeRecord[]> {
  const services = (await graph.findNodes({ label: 'Service', limit: 10_000 })).sort(byPreference);
  const lower = text.toLowerCase();
  const words = lower.split(/[^\w-]+/).filter((w) => w.length >= 5);
  const hits = services.filter((s) => {
    const name = String(s.props.name ?? '').toLowerCase();
    if (name.length < 2) return false;
    const i = lower.indexOf(name);
    if (i >= 0 && !/[\w-]/.test(lower[i - 1] ?? ' ') && !/[\w-]/.test(lower[i + name.length] ?? ' ')) return true;
    // A misspelt whole name counts ("paymentservce"); a word that only starts like one does not ("checking").
    return words.some((w) => Math.abs(w.length - name.length) <= 2 && editDistance(w, name) <= 2);
  });
  const seen = new Set<string>();
  return hits
    .sort((a, b) => String(b.props.name).length - String(a.props.name).length)
    .filter((s) => !seen.has(String(s.props.name)) && seen.add(String(s.props.name)));
}

/** A short display name for an entity uid or node: a node's `name` prop, else the model's `shortName` of the uid. */
export function displayName(x: NodeRecord | string): string {
  if (typeof x !== 'string') return String(x.props.name ?? shortName(x.uid));
  return shortName(x);
}

function encodePart(p: string): string {
  return p.replaceAll('%', '%25').replaceAll('/', '%2F');
}
