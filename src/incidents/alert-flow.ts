/**
 * The alert half of the incident flow: new notifications → alert compression (src/alerts) →
 * incident opened or updated (IncidentStore) → an RCA job for the new revision.
 */
import { AlertCompressor, type CompressOptions } from '../alerts/compress-alerts.js';
import type { AlertEvent } from '../alerts/alert-event.js';
import type { TopologyEdge } from '../alerts/causal-distance.js';
import type { GraphStore } from '../graph/graph-store.js';
import type { AlertRecord } from '../ingest/alertmanager/alert-record.js';
import { toAlertGraphBatch } from '../ingest/alertmanager/to-alert-graph-batch.js';
import type { Incident } from './incident.js';
import type { IncidentStore } from './incident-store.js';
import { runCorrection, type CorrectionSummary } from './corrections.js';
import type { AlertBatchInput, CompressJobInput, FlowResult, FollowUp } from './job-inputs.js';

/**
 * The compressor's streaming state for one runner. Not shared between processes: whoever consumes
 * the compress queue must consume it one job at a time (see jobs/queues.ts, SERIAL_QUEUES).
 */
export class AlertFlowState {
  readonly compressor: AlertCompressor;
  /** Compressor group id → incident number. */
  readonly incidentOfGroup = new Map<string, number>();
  private topologyReadAt = -Infinity;
  private readonly known = new Set<string>();
  private readonly edges = new Map<string, TopologyEdge>();

  private forgotAt = -Infinity;

  constructor(opts: CompressOptions = {}) {
    this.compressor = new AlertCompressor(opts);
  }

  /**
   * At most every `forgetEveryMs`, drops compressor groups quiet for `retainMs` (and their incident
   * numbers): the state stays the size of what is going on. A forgotten alert firing again opens a
   * new group, which finds its old incident by fingerprint (and reopens it unless long resolved).
   */
  forgetQuiet(now: number): void {
    if (now - this.forgotAt < DEFAULTS.forgetEveryMs) return;
    this.forgotAt = now;
    for (const id of this.compressor.forget(now - DEFAULTS.retainMs)) this.incidentOfGroup.delete(id);
  }

  /**
   * Makes sure the correlator knows the topology around `entities`: the relationships within
   * `hops` of each newly seen entity are read from the graph and added (a deploy or new calls are
   * picked up when the copy is older than `maxAgeMs`). Reads only around alerting entities, so a
   * large graph costs nothing more.
   */
  async learnTopology(graph: GraphStore, entities: readonly string[], now: number, opts: { hops?: number; maxAgeMs?: number } = {}): Promise<void> {
    if (now - this.topologyReadAt > (opts.maxAgeMs ?? DEFAULTS.topologyMaxAgeMs)) {
      this.topologyReadAt = now;
      this.known.clear();
      this.edges.clear();
    }
    const fresh = [...new Set(entities)].filter((e) => !this.known.has(e));
    if (fresh.length === 0) return;
    fresh.forEach((e) => this.known.add(e));
    const sub = await graph.neighbourhood(fresh, { hops: opts.hops ?? DEFAULTS.topologyHops, edges: [...TOPOLOGY_EDGES], maxNodes: DEFAULTS.topologyMaxNodes });
    for (const e of sub.edges) this.edges.set(`${e.type}|${e.from}|${e.to}`, { from: e.from, to: e.to, type: e.type });
    this.compressor.setTopology([...this.edges.values()]);
  }
}

export const DEFAULTS = {
  /** The compressor re-reads the topology at most this often (ms). */
  topologyMaxAgeMs: 5 * 60_000,
  /** How far around an alerting entity the topology is read (the correlator's hop limit). */
  topologyHops: 3,
  topologyMaxNodes: 2_000,
  /** Compressor groups with nothing for this long are forgotten (ms): a day, as long as a lone alert's item is kept for it. */
  retainMs: 24 * 3_600_000,
  forgetEveryMs: 10 * 60_000,
  /** A resolved incident whose alerts fire again after this long quiet is a new incident (ms). */
  reopenWithinMs: 15 * 60_000,
};


const TOPOLOGY_EDGES = ['CALLS', 'RUNS_ON', 'SELECTS', 'MANAGES'] as const;

const SEVERITY_ORDER: Incident['severity'][] = ['info', 'warning', 'critical'];

function severityOf(alerts: readonly AlertRecord[], fps: readonly string[]): Incident['severity'] {
  const wanted = new Set(fps);
  let best = 0;
  for (const a of alerts) {
    if (!wanted.has(a.fingerprint)) continue;
    const i = SEVERITY_ORDER.indexOf((a.labels.severity ?? 'warning') as Incident['severity']);
    best = Math.max(best, i < 0 ? 1 : i);
  }
  return SEVERITY_ORDER[best];
}

const toEvent = (a: AlertRecord, receivedAt: number): AlertEvent => ({
  fingerprint: a.fingerprint, name: a.name, status: a.status, labels: a.labels, startsAt: a.startsAt,
  endsAt: a.endsAt, entity: a.entity, receivedAt: Math.max(receivedAt, a.startsAt),
});

/**
 * Compresses one batch of notifications and opens or updates the incidents they land in. Writes the
 * alerts to the graph first (idempotent). Returns an RCA follow-up per incident revision it created.
 * A re-delivered batch changes nothing: repeats neither add fingerprints nor bump revisions.
 */
export async function runCompressJob(
  input: CompressJobInput,
  ports: { graph: GraphStore; incidents: IncidentStore; state: AlertFlowState },
): Promise<FlowResult<CompressSummary | CorrectionSummary>> {
  return 'correction' in input ? runCorrection(input.correction, ports) : compressBatch(input, ports);
}

export type CompressSummary = { alerts: number; opened: number[]; updated: number[]; resolved: number[] };

async function compressBatch(
  input: AlertBatchInput,
  ports: { graph: GraphStore; incidents: IncidentStore; state: AlertFlowState },
): Promise<FlowResult<CompressSummary>> {
  await ports.graph.upsert(toAlertGraphBatch(input.alerts, input.receivedAt));
  await ports.state.learnTopology(ports.graph, input.alerts.map((a) => a.entity).filter((e): e is string => typeof e === 'string'), input.receivedAt);
  // Incident times follow the alerts' own clock (when they fired or resolved), not when we heard of them.
  const at = Math.max(...input.alerts.map((a) => (a.status === 'resolved' && a.endsAt !== null ? a.endsAt : a.startsAt)));
  const { compressor } = ports.state;
  const touched = new Set<string>();
  const order = [...input.alerts].sort((a, b) => a.startsAt - b.startsAt);
  for (const a of order) {
    const r = compressor.push(toEvent(a, input.receivedAt));
    if (r.incident !== undefined) touched.add(r.incident);
  }
  const opened: number[] = [], updated: number[] = [], resolved: number[] = [];
  const next: FollowUp[] = [];
  for (const id of [...touched].sort()) {
    const g = compressor.incident(id);
    if (!g) continue;
    const remembered = ports.state.incidentOfGroup.has(id);
    const found = await findIncident(ports, id, g.fingerprints);
    const allResolved = g.fingerprints.every((fp) => compressor.alert(fp)?.status === 'resolved');
    // Found only by its alerts (after a restart), a long-resolved incident is not reopened: that is a new problem.
    // A remembered group the compressor took back (a lone alert coming back) is the same incident reopened.
    const stale = !remembered && found?.status === 'resolved' && !allResolved && at - (found.resolvedAt ?? found.updatedAt) > DEFAULTS.reopenWithinMs;
    const existing = stale ? undefined : found;
    if (!existing) {
      if (allResolved) continue; // a group seen only as resolutions is no incident
      if (!g.actionable) continue; // a watch item (one warning alone) is kept by the compressor, not posted until it grows or turns critical
      const inc = await ports.incidents.open({
        title: `${g.names.slice(0, 2).join(', ')}${g.names.length > 2 ? ` +${g.names.length - 2}` : ''} on ${shortName(g.entities[0])}`,
        severity: severityOf(input.alerts, g.fingerprints), entities: g.entities, alertFingerprints: g.fingerprints,
        entry: g.entities[0], openedAt: g.problemStart ?? g.firstStart, source: 'alerts',
      });
      ports.state.incidentOfGroup.set(id, inc.number);
      opened.push(inc.number);
      next.push({ queue: 'rca', data: { incident: inc.number, revision: inc.revision } });
      continue;
    }
    ports.state.incidentOfGroup.set(id, existing.number);
    const added = g.fingerprints.filter((fp) => !existing.alertFingerprints.includes(fp));
    const nowResolved = allResolved && existing.status === 'open';
    const reopened = !allResolved && existing.status === 'resolved';
    if (added.length === 0 && !nowResolved && !reopened) continue;
    existing.alertFingerprints = [...existing.alertFingerprints, ...added];
    existing.entities = [...new Set([...existing.entities, ...g.entities])];
    existing.status = allResolved ? 'resolved' : 'open';
    if (nowResolved) existing.resolvedAt = at;
    if (reopened) existing.reopenedAt = at;
    existing.revision += 1;
    existing.updatedAt = Math.max(existing.updatedAt, at);
    await ports.incidents.save(existing);
    (nowResolved ? resolved : updated).push(existing.number);
    // A resolution needs no new diagnosis, only a card update.
    next.push(nowResolved
      ? { queue: 'notify', data: { incident: existing.number, revision: existing.revision } }
      : { queue: 'rca', data: { incident: existing.number, revision: existing.revision } });
  }
  ports.state.forgetQuiet(at);
  return { summary: { alerts: input.alerts.length, opened, updated, resolved }, next };
}

// The group's incident: remembered by this runner, else (after a restart) the newest incident holding one of its alerts.
async function findIncident(ports: { incidents: IncidentStore; state: AlertFlowState }, group: string, fps: readonly string[]): Promise<Incident | undefined> {
  const known = ports.state.incidentOfGroup.get(group);
  if (known !== undefined) return ports.incidents.get(known);
  const wanted = new Set(fps);
  const all = await ports.incidents.list();
  return all.find((i) => i.source !== 'detect' && i.source !== 'logs' && i.alertFingerprints.some((fp) => wanted.has(fp)));
}

function shortName(entity: string | undefined): string {
  if (!entity) return 'unknown entity';
  const tail = entity.slice(entity.lastIndexOf('/') + 1);
  return decodeURIComponent(tail.includes(':') ? tail.slice(tail.indexOf(':') + 1) : tail);
}
