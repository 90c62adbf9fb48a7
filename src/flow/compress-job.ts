/**
 * The alert half of the incident flow: new notifications → alert compression (src/alerts) →
 * incident opened or updated (IncidentStore) → an RCA job for the new revision. A minute tick does
 * the same for watch items that became incidents by lasting.
 */
import { z } from 'zod';
import type { AlertCompressor } from '../alerts/compress-alerts.js';
import type { AlertEvent } from '../alerts/alert-event.js';
import type { GraphStore } from '../graph/graph-store.js';
import { AlertRecordSchema, type AlertRecord } from '../model/alert-record.js';
import { shortName } from '../model/short-name.js';
import { toAlertGraphBatch } from '../ingest/alertmanager/to-alert-graph-batch.js';
import type { AlertFlowState } from './alert-flow-state.js';
import type { Incident } from '../incidents/incident.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import { runCorrection, type CorrectionSummary } from './run-correction.js';
import { IncidentCorrectionSchema } from '../ports/incident-corrections.js';
import type { FlowResult, FollowUp } from './flow-result.js';
import { ms } from './payload-parts.js';

/** New alert notifications (parsed Alertmanager webhooks), with when they were received (ms since epoch). */
const AlertBatchPayload = z.object({ alerts: z.array(AlertRecordSchema).min(1), receivedAt: ms });
export type AlertBatchInput = z.infer<typeof AlertBatchPayload>;

/**
 * The compress queue's serial stream: alert batches, human corrections of the grouping (merge/split),
 * and a minute tick (watch items whose alert kept firing long enough become incidents).
 */
export const CompressPayload = z.union([
  AlertBatchPayload,
  z.object({ correction: IncidentCorrectionSchema }),
  z.object({ tick: z.literal(true) }),
]);
export type CompressJobInput = z.infer<typeof CompressPayload>;

/** A resolved incident whose alerts fire again after this long quiet is a new incident (ms), unless the compressor kept its group. */
const REOPEN_WITHIN_MS = 15 * 60_000;

/** Alerts compressed between two turns of the event loop. */
const YIELD_EVERY = 200;

const SEVERITY_ORDER: Incident['severity'][] = ['info', 'warning', 'critical'];

function severityOf(compressor: AlertCompressor, fps: readonly string[]): Incident['severity'] {
  let best = 0;
  for (const fp of fps) {
    const i = SEVERITY_ORDER.indexOf((compressor.alert(fp)?.labels.severity ?? 'warning') as Incident['severity']);
    best = Math.max(best, i < 0 ? 1 : i);
  }
  return SEVERITY_ORDER[best];
}

const toEvent = (a: AlertRecord, receivedAt: number): AlertEvent => ({
  fingerprint: a.fingerprint,
  name: a.name,
  status: a.status,
  labels: a.labels,
  startsAt: a.startsAt,
  endsAt: a.endsAt,
  entity: a.entity,
  receivedAt,
});

/**
 * Compresses one batch of notifications and opens or updates the incidents they land in. Writes the
 * alerts to the graph first (idempotent). Returns an RCA follow-up per incident revision it created.
 * A re-delivered batch changes nothing: repeats neither add fingerprints nor bump revisions.
 */
export async function runCompressJob(
  input: CompressJobInput,
  ports: FlowPorts,
): Promise<FlowResult<CompressSummary | CorrectionSummary>> {
  if ('correction' in input) return runCorrection(input.correction, ports);
  if ('tick' in input) return compressTick(ports);
  return compressBatch(input, ports);
}

export type CompressSummary = { alerts: number; opened: number[]; updated: number[]; resolved: number[] };

type FlowPorts = { graph: GraphStore; incidents: IncidentStore; state: AlertFlowState; now: () => number };

async function compressBatch(input: AlertBatchInput, ports: FlowPorts): Promise<FlowResult<CompressSummary>> {
  await ports.graph.upsert(toAlertGraphBatch(input.alerts, input.receivedAt));
  await ports.state.learnTopology(
    ports.graph,
    input.alerts.map((a) => a.entity).filter((e): e is string => typeof e === 'string'),
    input.receivedAt,
  );
  // Incident times follow the alerts' own clock (when they fired or resolved), never later than when we heard of them.
  const at = Math.min(
    input.receivedAt,
    Math.max(...input.alerts.map((a) => (a.status === 'resolved' && a.endsAt !== null ? a.endsAt : a.startsAt))),
  );
  const { compressor } = ports.state;
  const touched = new Set<string>();
  const order = [...input.alerts].sort((a, b) => a.startsAt - b.startsAt);
  for (const [i, a] of order.entries()) {
    const r = compressor.push(toEvent(a, input.receivedAt));
    if (r.incident !== undefined) touched.add(r.incident);
    // An alert storm is thousands of pushes: let the process answer (/healthz, ingest) between slices of them.
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  const result = await postGroups(touched, at, ports);
  return { summary: { alerts: input.alerts.length, ...result.summary }, next: result.next };
}

/** The clock moved with no notification: watch items that kept firing long enough become incidents. */
async function compressTick(ports: FlowPorts): Promise<FlowResult<CompressSummary>> {
  const at = ports.now();
  ports.state.compressor.tick(at);
  const result = await postGroups([], at, ports);
  return { summary: { alerts: 0, ...result.summary }, next: result.next };
}

/**
 * Applies the touched groups and every pending time promotion, then forgets what went quiet.
 * Promotions are acknowledged only once posted: a failed (or re-delivered) job posts them next time.
 */
async function postGroups(
  touched: Iterable<string>,
  at: number,
  ports: FlowPorts,
): Promise<FlowResult<Omit<CompressSummary, 'alerts'>>> {
  const { compressor } = ports.state;
  const promoted = compressor.pendingPromoted();
  const result = await applyGroups([...touched, ...promoted], at, ports);
  compressor.ackPromoted(promoted);
  ports.state.forgetQuiet(at);
  return result;
}

/** Opens, updates, resolves or reopens the incidents of the compressor groups `ids` at `at`. */
async function applyGroups(
  ids: readonly string[],
  at: number,
  ports: FlowPorts,
): Promise<FlowResult<Omit<CompressSummary, 'alerts'>>> {
  const { compressor } = ports.state;
  const opened: number[] = [],
    updated: number[] = [],
    resolved: number[] = [];
  const next: FollowUp[] = [];
  for (const id of [...new Set(ids)].sort()) {
    const g = compressor.incident(id);
    if (!g) continue;
    const remembered = ports.state.incidentOfGroup.has(id);
    const allResolved = g.fingerprints.every((fp) => compressor.alert(fp)?.status === 'resolved');
    // A firing watch item never posted has no incident to find: no lookup (they are most groups).
    if (!g.actionable && !remembered && !allResolved) continue;
    const found = await findIncident(ports, id, g.fingerprints);
    // Found only by its alerts (after a restart), a long-resolved incident is not reopened: that is a new problem.
    // A remembered group the compressor took back (a lone alert coming back) is the same incident reopened.
    const stale =
      !remembered &&
      found?.status === 'resolved' &&
      !allResolved &&
      at - (found.resolvedAt ?? found.updatedAt) > REOPEN_WITHIN_MS;
    const existing = stale ? undefined : found;
    if (!existing) {
      if (allResolved) continue; // a group seen only as resolutions is no incident
      if (!g.actionable) continue; // a watch item (one warning alone) is kept by the compressor, not posted until it grows, turns critical or lasts
      const inc = await ports.incidents.open({
        title: `${g.names.slice(0, 2).join(', ')}${g.names.length > 2 ? ` +${g.names.length - 2}` : ''} on ${g.entities[0] ? shortName(g.entities[0]) : 'unknown entity'}`,
        severity: severityOf(compressor, g.fingerprints),
        entities: g.entities,
        alertFingerprints: g.fingerprints,
        entry: g.entities[0],
        openedAt: g.problemStart ?? g.firstStart,
        source: 'alerts',
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
    next.push(
      nowResolved
        ? { queue: 'notify', data: { incident: existing.number, revision: existing.revision } }
        : { queue: 'rca', data: { incident: existing.number, revision: existing.revision } },
    );
  }
  return { summary: { opened, updated, resolved }, next };
}

// The group's incident: remembered by this runner, else (after a restart) the newest incident holding one of its alerts;
// an incident merged into another stands for that one.
async function findIncident(
  ports: { incidents: IncidentStore; state: AlertFlowState },
  group: string,
  fps: readonly string[],
): Promise<Incident | undefined> {
  const known = ports.state.incidentOfGroup.get(group);
  let found: Incident | undefined;
  if (known !== undefined) found = await ports.incidents.get(known);
  else found = (await ports.incidents.holding(fps)).find((i) => i.source !== 'detect' && i.source !== 'logs');
  for (let hops = 0; found?.mergedInto !== undefined && hops < 10; hops++)
    found = await ports.incidents.get(found.mergedInto);
  return found;
}
