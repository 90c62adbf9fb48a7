/**
 * What a card needs beyond the incident itself, read from the graph: the grouped alerts (with runbook
 * and source links), recent changes on the suspects, owners from labels, and the services behind pod
 * suspects. Read once per publish; the card itself is then built purely (incident-card.ts).
 */
import type { GraphStore } from '../graph/graph-store.js';
import type { Incident } from '../incidents/incident.js';
import { alertUid } from '../incidents/incident.js';
import type { NodeRecord, PropValue, Uid } from '../model/graph.js';
import { labelsOf } from '../model/label-strings.js';
import { nodeTime } from './node-time.js';
import { incidentPageUrl } from '../model/incident-page-url.js';
import type { LinkTemplates } from './links.js';
import { displayName, siblings } from './resolve-entity.js';

/** Knobs of what a card reads. */
export const DEFAULTS = {
  /** Alerts read per incident (a storm is summarised, not listed). */
  alerts: 500,
  /** Changes this long before the incident's start count as "recent" (ms). */
  changesBeforeMs: 24 * 3_600_000,
  /** Suspects whose changes and owners are looked up. */
  suspects: 5,
};

/** One grouped alert as a card shows it. Times are ms since epoch. */
export interface CardAlert {
  fingerprint: string;
  name: string;
  status: string;
  severity?: string;
  summary?: string;
  /** Display name and uid of the entity it fired on. */
  entity?: string;
  entityUid?: Uid;
  startsAt?: number;
  runbookUrl?: string;
  generatorUrl?: string;
  labels: Record<string, string>;
}

/** A recorded change near the incident. */
export interface CardChange {
  at?: number;
  description: string;
  entity: string;
  by?: string;
}

/** A metric move recorded as evidence of the incident (Anomaly nodes), by entity name. */
export interface CardEvidence {
  entity: string;
  metric: string;
  z: number;
  normal?: number;
  peak?: number;
}

/** Everything toIncidentCard reads besides the incident. */
export interface CardContext {
  alerts: CardAlert[];
  /** Every metric move recorded for the incident over its diagnoses (impact reads the service-level ones). */
  evidence: CardEvidence[];
  changes: CardChange[];
  /** "team=payments"-style owner labels found on the suspects, the entry and the alerts. */
  owners: string[];
  /** Pod uid → the name of the service that selects it (links and impact speak of services). */
  serviceOf: Record<Uid, string>;
  /** uid → namespace, for links and silences. */
  namespaceOf: Record<Uid, string>;
  links: LinkTemplates;
  /** The incident's web page (signed when a secret is configured), when rootgraph's public URL is known. */
  pageUrl?: string;
}

const str = (v: PropValue | undefined) => (typeof v === 'string' && v ? v : undefined);

/** Loads the card context of an incident. Never throws for missing parts: a card shows what exists. */
export async function loadCardContext(
  ports: { graph: GraphStore; links: LinkTemplates; ownerLabels: string[] },
  incident: Incident,
): Promise<CardContext> {
  const { graph } = ports;
  const alertIds = incident.alertFingerprints.slice(0, DEFAULTS.alerts).map(alertUid);
  const fired =
    alertIds.length > 0
      ? await graph.neighbourhood(alertIds, { hops: 1, edges: ['FIRED_ON'], direction: 'out', maxNodes: 2_000 })
      : { nodes: [], edges: [] };
  const nodes = new Map(fired.nodes.map((n) => [n.uid, n]));
  const target = new Map(fired.edges.map((e) => [e.from, e.to]));
  const alerts: CardAlert[] = alertIds
    .map((id) => nodes.get(id))
    .filter((n): n is NodeRecord => n !== undefined && n.label === 'Alert')
    .map((n) => {
      const p = n.props;
      const on = target.get(n.uid);
      return {
        fingerprint: String(p.fingerprint ?? n.uid),
        name: String(p.name || 'unnamed alert'),
        status: String(p.status ?? 'firing'),
        severity: str(p.severity),
        summary: str(p.summary),
        entity: on ? displayName(nodes.get(on) ?? on) : undefined,
        entityUid: on,
        startsAt: nodeTime(n),
        runbookUrl: str(p.runbookUrl),
        generatorUrl: str(p.generatorURL),
        labels: labelsOf(p.labels),
      };
    });
  const suspects = incident.suspects
    .slice()
    .sort((a, b) => a.rank - b.rank)
    .slice(0, DEFAULTS.suspects)
    .map((s) => s.entity)
    .filter((e) => e.includes(':'));
  const roots = [...new Set([...suspects, ...(incident.entry ? [incident.entry] : [])])];
  const around =
    roots.length > 0
      ? await graph.neighbourhood(roots, { hops: 1, edges: ['SELECTS', 'MANAGES'], direction: 'both', maxNodes: 500 })
      : { nodes: [], edges: [] };
  const serviceOf: Record<Uid, string> = {};
  const namespaceOf: Record<Uid, string> = {};
  for (const n of around.nodes) if (typeof n.props.namespace === 'string') namespaceOf[n.uid] = n.props.namespace;
  const byUid = new Map(around.nodes.map((n) => [n.uid, n]));
  for (const e of around.edges)
    if (e.type === 'SELECTS' && byUid.get(e.from)?.label === 'Service')
      serviceOf[e.to] = displayName(byUid.get(e.from)!);
  const changes = await recentChanges(graph, incident, around.nodes);
  const owners = new Set<string>();
  // Owner labels sit on manifests: the suspects, their workloads of the same name, and the deployments around.
  const rootNodes = around.nodes.filter((x) => roots.includes(x.uid));
  const named = (await Promise.all(rootNodes.map((n) => siblings(graph, n)))).flat();
  for (const n of [...named, ...around.nodes.filter((x) => x.label === 'Deployment')]) {
    const labels = labelsOf(n.props.labels);
    for (const k of ports.ownerLabels) if (labels[k]) owners.add(`${k}=${labels[k]}`);
  }
  for (const a of alerts) for (const k of ports.ownerLabels) if (a.labels[k]) owners.add(`${k}=${a.labels[k]}`);
  const num = (v: PropValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const evidence = (await graph.findNodes({ label: 'Anomaly', where: { incident: incident.number }, limit: 1_000 }))
    .filter((a) => typeof a.props.metric === 'string' && num(a.props.z) !== undefined)
    .map((a) => ({
      entity: String(a.props.entity ?? '?'),
      metric: String(a.props.metric),
      z: num(a.props.z)!,
      normal: num(a.props.normal),
      peak: num(a.props.peak),
    }));
  const page = ports.links.page;
  const pageUrl = incidentPageUrl(
    page?.publicUrl,
    incident.number,
    page?.secret ? { secret: page.secret, expiresAtS: Math.floor(Date.now() / 1000) + page.linkTtlS } : undefined,
  );
  return {
    alerts,
    evidence,
    changes,
    owners: [...owners].sort(),
    serviceOf,
    namespaceOf,
    links: ports.links,
    ...(pageUrl ? { pageUrl } : {}),
  };
}

async function recentChanges(graph: GraphStore, incident: Incident, scope: NodeRecord[]): Promise<CardChange[]> {
  if (scope.length === 0) return [];
  const sub = await graph.neighbourhood(
    scope.map((n) => n.uid),
    { hops: 1, edges: ['CHANGED'], direction: 'in', maxNodes: 2_000 },
  );
  const from = incident.openedAt - DEFAULTS.changesBeforeMs;
  const names = new Map(scope.map((n) => [n.uid, displayName(n)]));
  return sub.nodes
    .filter((n) => n.label === 'Change' && (nodeTime(n) ?? 0) >= from)
    .map((c) => {
      const on = sub.edges.find((e) => e.from === c.uid)?.to;
      return {
        at: nodeTime(c),
        description: String(c.props.description ?? c.props.summary ?? c.props.kind ?? 'change'),
        entity: on ? (names.get(on) ?? displayName(on)) : '?',
        by: str(c.props.by),
      };
    })
    .sort((a, b) => (b.at ?? 0) - (a.at ?? 0));
}
