/**
 * One name per entity across a case's files. Exports often name the same service differently per
 * signal: metrics and topology by service, traces and logs by pod (`cartservice-7d9f8c6b5-x2k4z`, from
 * k8s.pod.name or a log shipper), or with a namespace (`shop/cartservice`, Istio's `cartservice.shop`). Unjoined, the pod's spans and
 * lines are evidence about an entity that has no metrics and is not the service, and the service loses
 * them. A Deployment's pod (`<name>-<hash>-<random>`, both generated) is always read as its service:
 * root causes are services, and two pods of one are one candidate. Other names (a StatefulSet's
 * `redis-0`, a namespaced name) are read as another only when that other name is used in the case.
 * Names that differ only in case (`CartService` in traces, `cartservice` in metrics) are one entity,
 * spelt as the alarm, then the metrics, the topology, the traces and the logs first spell it; not when
 * both spellings have a series of one metric (two columns of one metric are two entities' data). Pure.
 */
import { kubernetesService } from '../model/kubernetes-dns.js';
import { replicaColumn, splitReplica } from '../model/replica-column.js';
import type { CaseData } from './types.js';

/** Kubernetes' generated name suffixes use this alphabet (no vowels, no 0/1/3: k8s.io/apimachinery rand). */
const K = '[bcdfghjklmnpqrstvwxz2456789]';
const DEPLOYMENT_POD = new RegExp(`^(.+)-(${K}{6,10}-${K}{5})$`); // <name>-<pod-template-hash>-<random>
const POD_SUFFIXES: readonly RegExp[] = [
  DEPLOYMENT_POD,
  new RegExp(`^(.+)-(${K}{5})$`), // DaemonSet, Job, bare ReplicaSet: <name>-<random>
  /^(.+)-(\d+)$/, // StatefulSet: <name>-<ordinal>
];
const NAMESPACED = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/(.+)$/;

/** One renaming: `from` was read as `to`; `replica` is the pod part that told them apart. */
export interface EntityRename {
  from: string;
  to: string;
  replica: string | null;
}

/** The name `name` stands for (a Deployment pod's service, or a name among `used`), or null when it is its own. */
export function sharedName(name: string, used: ReadonlySet<string>): { to: string; replica: string | null } | null {
  const bare = NAMESPACED.exec(name)?.[2] ?? kubernetesService(name, { short: true })?.service;
  for (const candidate of bare !== undefined ? [bare, name] : [name]) {
    if (candidate !== name && used.has(candidate)) return { to: candidate, replica: null };
    for (const re of POD_SUFFIXES) {
      const m = re.exec(candidate);
      // A Deployment's pod name (two generated parts) is unmistakable: its service, named or not.
      if (m && (used.has(m[1]) || re === DEPLOYMENT_POD)) return { to: m[1], replica: m[2] };
    }
  }
  return null;
}

/**
 * The case with every entity name read as the name it shares with another file (see the module
 * comment), and the renamings made. Metric columns of two pods of one service stay apart as replicas
 * (`<service>|<metric>@<pod part>`, as the case format writes them).
 */
export function unifyEntityNames(c: CaseData): { data: CaseData; renamed: EntityRename[] } {
  const names = namesUsed(c);
  const spell = caseFolds(c, names);
  const used = new Set([...names].map(spell));
  const renames = new Map<string, { to: string; replica: string | null }>();
  for (const name of names) {
    const shared = sharedName(spell(name), used);
    // A pod's service may be spelt otherwise where the case names it.
    if (shared) renames.set(name, { ...shared, to: spell(shared.to) });
    else if (spell(name) !== name) renames.set(name, { to: spell(name), replica: null });
  }
  if (renames.size === 0) return { data: c, renamed: [] };
  const as = (name: string): string => renames.get(name)?.to ?? name;
  // A pod's column keeps its metric name unless another column of the service has it: then the pod
  // part tells the replicas apart (`<metric>@<pod part>`, as the case format writes replicas).
  const columns = new Map<string, number>();
  for (const s of c.series) {
    const key = `${as(s.entity)}|${s.metric}`;
    columns.set(key, (columns.get(key) ?? 0) + 1);
  }
  const series = c.series.map((s) => {
    const r = renames.get(s.entity);
    if (!r) return s;
    const shared = (columns.get(`${r.to}|${s.metric}`) ?? 0) > 1;
    const metric =
      shared && r.replica && splitReplica(s.metric).replica === undefined
        ? replicaColumn(s.metric, r.replica)
        : s.metric;
    return { ...s, entity: r.to, metric, key: `${r.to}|${metric}` };
  });
  const edges = new Map<string, { source: string; target: string }>();
  for (const e of c.topology) {
    const source = as(e.source),
      target = as(e.target);
    if (source !== target) edges.set(`${source}\u0000${target}`, { source, target });
  }
  const entry = c.incident.entry === undefined ? undefined : as(c.incident.entry);
  return {
    data: {
      ...c,
      series,
      topology: [...edges.values()],
      spans: c.spans.map((s) => (renames.has(s.entity) ? { ...s, entity: as(s.entity) } : s)),
      logs: c.logs.map((l) => (renames.has(l.entity) ? { ...l, entity: as(l.entity) } : l)),
      incident: { ...c.incident, ...(entry !== undefined ? { entry } : {}) },
    },
    renamed: [...renames]
      .map(([from, r]) => ({ from, to: r.to, replica: r.replica }))
      .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)),
  };
}

/**
 * The spelling kept for a name: of names that differ only in case, the first of `used` (namesUsed's
 * order: the alarm, the metrics, the topology, the traces, the logs). A spelling with a series of a
 * metric the kept one also has stays apart (it keeps its own).
 */
function caseFolds(c: CaseData, used: ReadonlySet<string>): (name: string) => string {
  const metricsOf = new Map<string, Set<string>>();
  for (const s of c.series) {
    const set = metricsOf.get(s.entity);
    if (set) set.add(s.metric);
    else metricsOf.set(s.entity, new Set([s.metric]));
  }
  const sharesAMetric = (x: string, y: string) => [...(metricsOf.get(x) ?? [])].some((m) => metricsOf.get(y)?.has(m));
  const kept = new Map<string, string>();
  const folds = new Map<string, string>();
  const meet = (name: string) => {
    const first = kept.get(name.toLowerCase());
    if (first === undefined) kept.set(name.toLowerCase(), name);
    else if (first !== name && !sharesAMetric(name, first)) folds.set(name, first);
  };
  for (const name of used) meet(name);
  return (name) => folds.get(name) ?? (used.has(name) ? name : (kept.get(name.toLowerCase()) ?? name));
}

/** Every entity name a case's files use, in the order the alarm, metrics, topology, traces and logs first use it. */
function namesUsed(c: CaseData): Set<string> {
  const used = new Set<string>();
  if (c.incident.entry !== undefined) used.add(c.incident.entry);
  for (const s of c.series) used.add(s.entity);
  for (const e of c.topology) used.add(e.source).add(e.target);
  for (const s of c.spans) used.add(s.entity);
  for (const l of c.logs) used.add(l.entity);
  return used;
}

/**
 * The name a case, as read, gives the entity a truth file or a user calls `name`: a pod the reader
 * read as its service is that service (truth.json may name the pod the fault was injected into).
 */
export function entityAsRead(name: string, c: CaseData): string {
  const renamed = c.renamed?.find((r) => r.from === name);
  if (renamed) return renamed.to;
  const used = namesUsed(c);
  return used.has(name) ? name : (sharedName(name, used)?.to ?? name);
}
