import { RootgraphError } from '../errors.js';
import type { GraphStore } from '../graph/graph-store.js';
import type { EdgeRecord, NodeRecord, Props } from '../model/graph.js';
import { parseSuspectExplanation } from '../model/suspect-explanation.js';
import { toEvidenceAnomalies } from './evidence-anomalies.js';
import { alertUid, incidentUid, type Incident, type Suspect } from './incident.js';

/** The graph sequence incident numbers come from. */
export const INCIDENT_SEQUENCE = 'incident';

/**
 * Incidents kept in the knowledge graph: an `Incident` node with `GROUPS` to its alerts and
 * `SUSPECTS` to ranked candidates (score, rank, why), so Cypher and the bot see the same thing.
 * Works on any GraphStore.
 */
export class IncidentStore {
  constructor(
    private readonly graph: GraphStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens a new incident with the next incident number. */
  async open(
    init: Pick<Incident, 'title' | 'severity' | 'entities' | 'alertFingerprints'> & Partial<Incident>,
  ): Promise<Incident> {
    const at = init.openedAt ?? this.now();
    const incident: Incident = {
      suspects: [],
      status: 'open',
      revision: 1,
      ...init,
      number: await this.graph.nextSequence(INCIDENT_SEQUENCE),
      openedAt: at,
      updatedAt: at,
    };
    await this.save(incident);
    return incident;
  }

  /**
   * Writes the incident and its relationships; idempotent for the same incident value. Jobs save
   * concurrently (compress, RCA, notify), so what only moves forward is merged with what is stored:
   * a writer holding an older copy cannot take back a published card or a newer diagnosis.
   */
  async save(incident: Incident): Promise<void> {
    await serialised(this.graph, incident.number, () => this.write(incident));
  }

  private async write(incident: Incident): Promise<void> {
    const stored = await this.get(incident.number);
    if (stored) {
      mergeForward(incident, stored);
      await this.dropStaleEdges(incident, stored);
    }
    const node: NodeRecord = { label: 'Incident', uid: incidentUid(incident.number), props: toProps(incident) };
    const edges: EdgeRecord[] = [
      ...incident.alertFingerprints.map((fp): EdgeRecord => ({
        type: 'GROUPS',
        from: node.uid,
        to: alertUid(fp),
        props: {},
      })),
      ...incident.suspects
        .filter((s) => s.entity.includes(':'))
        .map((s): EdgeRecord => ({
          type: 'SUSPECTS',
          from: node.uid,
          to: s.entity,
          props: {
            rank: s.rank,
            score: s.score,
            why: s.why,
            revision: incident.diagnosedRevision ?? incident.revision,
          },
        })),
    ];
    // The diagnosis's evidence is kept as Anomaly nodes, so every question sees the facts the card shows.
    const evidence = toEvidenceAnomalies(incident);
    // Alerts or suspects not (yet) in the graph are reported as rejected edges; the incident itself is kept.
    const report = await this.graph.upsert({
      nodes: [node, ...evidence.nodes],
      edges: [...edges, ...evidence.edges],
      observedAt: incident.updatedAt,
    });
    if (report.rejected.some((r) => r.kind === 'node')) {
      throw new RootgraphError(
        'INTERNAL',
        `incident ${incident.number} could not be saved: ${report.rejected[0].where} ${report.rejected[0].reason}`,
      );
    }
  }

  // Alerts split off and suspects no longer ranked lose their relationship to the incident.
  private async dropStaleEdges(incident: Incident, stored: Incident): Promise<void> {
    const from = incidentUid(incident.number);
    const keptAlerts = new Set(incident.alertFingerprints);
    const keptSuspects = new Set(incident.suspects.map((s) => s.entity));
    const stale = [
      ...stored.alertFingerprints
        .filter((fp) => !keptAlerts.has(fp))
        .map((fp) => ({ type: 'GROUPS' as const, from, to: alertUid(fp) })),
      ...stored.suspects
        .filter((s) => !keptSuspects.has(s.entity))
        .map((s) => ({ type: 'SUSPECTS' as const, from, to: s.entity })),
    ];
    if (stale.length > 0) await this.graph.deleteEdges(stale);
  }

  async get(number: number): Promise<Incident | undefined> {
    const node = await this.graph.getNode(incidentUid(number));
    return node ? fromProps(node.props) : undefined;
  }

  /** Incidents holding any of these alerts (through their `GROUPS` edges), newest first. */
  async holding(fingerprints: readonly string[]): Promise<Incident[]> {
    if (fingerprints.length === 0) return [];
    const sub = await this.graph.neighbourhood(fingerprints.map(alertUid), {
      hops: 1,
      edges: ['GROUPS'],
      direction: 'in',
    });
    return sub.nodes
      .filter((n) => n.label === 'Incident')
      .map((n) => fromProps(n.props))
      .sort((a, b) => b.number - a.number);
  }

  /** Open incidents, newest first. */
  async listOpen(limit = 50): Promise<Incident[]> {
    const nodes = await this.graph.findNodes({ label: 'Incident', where: { status: 'open' } });
    return nodes
      .map((n) => fromProps(n.props))
      .sort((a, b) => b.number - a.number)
      .slice(0, limit);
  }

  /** All incidents, newest first. */
  async list(limit = 200): Promise<Incident[]> {
    const nodes = await this.graph.findNodes({ label: 'Incident' });
    return nodes
      .map((n) => fromProps(n.props))
      .sort((a, b) => b.number - a.number)
      .slice(0, limit);
  }
}

// Saves of one incident through one graph run one at a time in this process, so read-merge-write is atomic here.
// Across worker processes the window is the few milliseconds of one save (see README: run compress in one process).
const queues = new WeakMap<GraphStore, Map<number, Promise<void>>>();

async function serialised(graph: GraphStore, n: number, work: () => Promise<void>): Promise<void> {
  let perGraph = queues.get(graph);
  if (!perGraph) queues.set(graph, (perGraph = new Map()));
  const before = perGraph.get(n) ?? Promise.resolve();
  const mine = before.then(work, work);
  const tail = mine.catch(() => undefined);
  perGraph.set(n, tail);
  try {
    await mine;
  } finally {
    if (perGraph.get(n) === tail) perGraph.delete(n);
  }
}

function mergeForward(incident: Incident, stored: Incident): void {
  if (stored.revision > incident.revision) {
    // The writer holds an older revision: the grouping (alerts, entities, status) is the stored one.
    const mine = {
      suspects: incident.suspects,
      confidence: incident.confidence,
      diagnosedRevision: incident.diagnosedRevision,
      card: incident.card,
      publishedRevision: incident.publishedRevision,
    };
    // …unless the writer carries lifecycle events the store lacks: what a person just did stands.
    const person =
      (incident.lifecycle?.events.length ?? 0) > (stored.lifecycle?.events.length ?? 0)
        ? {
            lifecycle: incident.lifecycle,
            status: incident.status,
            resolvedAt: incident.resolvedAt,
            reopenedAt: incident.reopenedAt,
          }
        : {};
    Object.assign(incident, stored, {
      suspects: mine.suspects,
      confidence: mine.confidence,
      diagnosedRevision: mine.diagnosedRevision,
      card: mine.card ?? stored.card,
      publishedRevision: mine.publishedRevision,
      ...person,
    });
  }
  if ((stored.publishedRevision ?? 0) > (incident.publishedRevision ?? 0))
    incident.publishedRevision = stored.publishedRevision;
  incident.card ??= stored.card;
  if ((stored.diagnosedRevision ?? 0) > (incident.diagnosedRevision ?? 0)) {
    incident.diagnosedRevision = stored.diagnosedRevision;
    incident.suspects = stored.suspects;
    incident.confidence = stored.confidence;
  }
  // Lifecycle events only grow: a writer holding fewer has not seen what people did since it read.
  if ((stored.lifecycle?.events.length ?? 0) > (incident.lifecycle?.events.length ?? 0)) {
    incident.lifecycle = stored.lifecycle;
    // A person's resolve or reopen stands against a job's copy of the same revision.
    if (stored.revision >= incident.revision) {
      incident.status = stored.status;
      incident.resolvedAt = stored.resolvedAt;
      incident.reopenedAt = stored.reopenedAt;
    }
  }
}

// The whole incident is also kept as JSON so it reads back exactly, whatever the backend.
function toProps(i: Incident): Props {
  return {
    number: i.number,
    title: i.title,
    status: i.status,
    severity: i.severity,
    openedAt: i.openedAt,
    updatedAt: i.updatedAt,
    revision: i.revision,
    entry: i.entry ?? null,
    entities: i.entities,
    alertFingerprints: i.alertFingerprints,
    topSuspect: i.suspects[0]?.entity ?? null,
    acknowledgedBy: i.lifecycle?.acknowledged?.by ?? null,
    assignee: i.lifecycle?.assignee?.id ?? null,
    json: JSON.stringify(i),
  };
}

function fromProps(p: Props): Incident {
  const parsed = JSON.parse(String(p.json)) as Incident;
  // Explanations are read back typed; older stored shapes (ms times, `text` templates) are converted.
  parsed.suspects = (parsed.suspects ?? []).map((s: Suspect) => ({
    ...s,
    explanation: parseSuspectExplanation(s.explanation as unknown),
  }));
  return parsed;
}
