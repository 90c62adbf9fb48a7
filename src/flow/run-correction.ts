/**
 * Human corrections to alert grouping on live incidents: merge two incidents, or split alerts off
 * into a new one. Applied in the compress queue's serial stream, so the compressor that learns from
 * them (src/alerts: corrections re-tune the correlation weights) sees them in order with the alerts.
 */
import { InputError } from '../errors.js';
import type { GraphStore } from '../graph/graph-store.js';
import type { AlertFlowState } from './alert-flow-state.js';
import { saveAlertCorrection } from '../incidents/alert-correction-store.js';
import { alertUid, type Incident } from '../incidents/incident.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { IncidentCorrection } from '../ports/incident-corrections.js';
import type { FlowResult, FollowUp } from './flow-result.js';

export type CorrectionSummary = { kind: IncidentCorrection['kind']; incidents: number[]; learned: boolean };

/** Applies one correction to the incidents (and to the compressor when it knows their groups). */
export async function runCorrection(
  c: IncidentCorrection,
  ports: { graph: GraphStore; incidents: IncidentStore; state: AlertFlowState },
): Promise<FlowResult<CorrectionSummary>> {
  return c.kind === 'merge' ? merge(c, ports) : split(c, ports);
}

async function load(incidents: IncidentStore, n: number, where: string): Promise<Incident> {
  const i = await incidents.get(n);
  if (!i) throw new InputError(where, `incident ${n} does not exist`);
  return i;
}

// The compressor group an incident stands for now: one still alive (a merged-away group maps to its survivor's incident too).
function groupOf(state: AlertFlowState, incident: number): string | undefined {
  for (const [group, n] of state.incidentOfGroup) if (n === incident && state.compressor.incident(group)) return group;
  return undefined;
}

const rca = (i: Incident): FollowUp => ({ queue: 'rca', data: { incident: i.number, revision: i.revision } });
const notify = (i: Incident): FollowUp => ({ queue: 'notify', data: { incident: i.number, revision: i.revision } });

async function merge(
  c: Extract<IncidentCorrection, { kind: 'merge' }>,
  ports: Parameters<typeof runCorrection>[1],
): Promise<FlowResult<CorrectionSummary>> {
  if (c.into === c.from) throw new InputError('merge', `cannot merge incident ${c.into} into itself`);
  const into = await load(ports.incidents, c.into, 'merge › into');
  const from = await load(ports.incidents, c.from, 'merge › from');
  const [gInto, gFrom] = [groupOf(ports.state, into.number), groupOf(ports.state, from.number)];
  const learned = gInto !== undefined && gFrom !== undefined && gInto !== gFrom;
  // Whatever the compressor knows, the merged-away incident's group now stands for `into`: its alerts must not reopen `from`.
  if (gFrom !== undefined) ports.state.incidentOfGroup.set(gFrom, into.number);
  if (learned) await saveAlertCorrection(ports.graph, ports.state.compressor.correlator.merge(gInto, gFrom, c.at));
  into.alertFingerprints = [...new Set([...into.alertFingerprints, ...from.alertFingerprints])];
  into.entities = [...new Set([...into.entities, ...from.entities])];
  into.status = 'open';
  into.revision += 1;
  into.updatedAt = Math.max(into.updatedAt, c.at);
  from.alertFingerprints = [];
  from.status = 'resolved';
  from.mergedInto = into.number;
  from.resolvedAt = c.at;
  from.revision += 1;
  from.updatedAt = Math.max(from.updatedAt, c.at);
  await ports.incidents.save(into);
  await ports.incidents.save(from);
  return {
    summary: { kind: 'merge', incidents: [into.number, from.number], learned },
    next: [rca(into), notify(from)],
  };
}

async function split(
  c: Extract<IncidentCorrection, { kind: 'split' }>,
  ports: Parameters<typeof runCorrection>[1],
): Promise<FlowResult<CorrectionSummary>> {
  const source = await load(ports.incidents, c.incident, 'split › incident');
  const moving = new Set(c.fingerprints);
  for (const fp of moving)
    if (!source.alertFingerprints.includes(fp))
      throw new InputError(`split › ${fp}`, `alert is not in incident ${c.incident}`);
  const staying = source.alertFingerprints.filter((fp) => !moving.has(fp));
  if (moving.size === 0 || staying.length === 0)
    throw new InputError('split', 'a split must leave alerts on both sides');
  const group = groupOf(ports.state, source.number);
  const members = new Set(group === undefined ? [] : (ports.state.compressor.incident(group)?.fingerprints ?? []));
  // The compressor learns the split only when its group matches: the moving alerts are in it, and some stay.
  const learnable =
    group !== undefined && [...moving].every((fp) => members.has(fp)) && [...members].some((fp) => !moving.has(fp));
  const learnt = learnable ? ports.state.compressor.correlator.split(group, [...moving], c.at) : undefined;
  // The moved alerts' entities, from the graph (Alert -FIRED_ON-> entity).
  const fired = await ports.graph.neighbourhood([...moving].map(alertUid), {
    hops: 1,
    edges: ['FIRED_ON'],
    direction: 'out',
  });
  const entities = [...new Set(fired.edges.map((e) => e.to))];
  const fresh = await ports.incidents.open({
    title: `split from #${source.number}: ${[...moving].length} alert${moving.size === 1 ? '' : 's'}`,
    severity: source.severity,
    entities,
    alertFingerprints: [...moving],
    entry: entities[0],
    openedAt: c.at,
    source: 'alerts',
  });
  if (learnt) {
    ports.state.incidentOfGroup.set(learnt.incident.id, fresh.number);
    await saveAlertCorrection(ports.graph, learnt.correction);
  } else if (group !== undefined && [...members].every((fp) => moving.has(fp))) {
    // The whole live group moved: its later alerts belong to the new incident.
    ports.state.incidentOfGroup.set(group, fresh.number);
  }
  source.alertFingerprints = staying;
  source.revision += 1;
  source.updatedAt = Math.max(source.updatedAt, c.at);
  await ports.incidents.save(source);
  return {
    summary: { kind: 'split', incidents: [source.number, fresh.number], learned: learnt !== undefined },
    next: [rca(source), rca(fresh)],
  };
}
