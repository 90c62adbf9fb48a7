import type { Uid } from '../model/graph.js';
import type { Incident } from '../incidents/incident.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { FollowUp } from './flow-result.js';

/**
 * Opens an incident for anomalies on `entry`, or adds `entities` to the open one of the same source
 * and entry. Returns the RCA follow-up when something changed; nothing when all was already known.
 */
export async function openOrUpdateIncident(
  incidents: IncidentStore,
  found: {
    source: 'detect' | 'logs';
    entry: Uid;
    entities: Uid[];
    title: string;
    severity: Incident['severity'];
    at: number;
  },
): Promise<{ incident: Incident; opened: boolean; next: FollowUp[] }> {
  const open = (await incidents.listOpen(200)).find((i) => i.source === found.source && i.entry === found.entry);
  if (!open) {
    const incident = await incidents.open({
      title: found.title,
      severity: found.severity,
      entities: [...new Set([found.entry, ...found.entities])],
      alertFingerprints: [],
      entry: found.entry,
      openedAt: found.at,
      source: found.source,
    });
    return {
      incident,
      opened: true,
      next: [{ queue: 'rca', data: { incident: incident.number, revision: incident.revision } }],
    };
  }
  const added = found.entities.filter((e) => !open.entities.includes(e));
  if (added.length === 0) return { incident: open, opened: false, next: [] };
  open.entities = [...open.entities, ...added];
  open.revision += 1;
  open.updatedAt = found.at;
  await incidents.save(open);
  return {
    incident: open,
    opened: false,
    next: [{ queue: 'rca', data: { incident: open.number, revision: open.revision } }],
  };
}
