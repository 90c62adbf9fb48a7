import type { EdgeRecord, GraphBatch, NodeLabel, NodeRecord, Props, Uid } from '../../model/graph.js';
import { isNodeLabel } from '../../model/graph.js';
import { alertUid, labelOf } from '../../model/uid.js';
import type { AlertRecord } from '../../model/alert-record.js';

/** The Alert node's uid, defined once in the model (re-exported for this module's callers). */
export { alertUid };

function alertProps(group: AlertRecord[]): Props {
  // Latest occurrence decides status; earliest start is when the alert first fired.
  const byStart = [...group].sort((a, b) => a.startsAt - b.startsAt || rank(a) - rank(b));
  const last = byStart[byStart.length - 1];
  const starts = [...new Set(byStart.map((r) => r.startsAt))];
  return {
    fingerprint: last.fingerprint,
    name: last.name,
    status: last.status,
    severity: last.labels.severity ?? null,
    labels: Object.entries(last.labels)
      .sort()
      .map(([k, v]) => `${k}=${v}`),
    summary: last.annotations.summary ?? last.annotations.description ?? null,
    // The rule's runbook (kube-prometheus and most rule sets annotate one); cards link to it.
    runbookUrl: last.annotations.runbook_url ?? last.annotations.runbook ?? null,
    firstStartsAt: byStart[0].startsAt,
    startsAt: last.startsAt,
    endsAt: last.endsAt,
    generatorURL: last.generatorURL,
    occurrenceStarts: starts,
    occurrences: starts.length,
    notifications: group.length,
  };
}

/** Within one start time a resolved notification comes after the firing ones. */
const rank = (r: AlertRecord) => (r.status === 'resolved' ? 1 : 0);

/** Minimal identity props for the entity, so the FIRED_ON edge has a node to land on (MERGE keeps richer props). */
function entityNode(entity: Uid): NodeRecord | null {
  const label = labelOf(entity);
  if (!isNodeLabel(label)) return null;
  const parts = entity
    .slice(label.length + 1)
    .split('/')
    .map(decodeURIComponent);
  return { label: label as NodeLabel, uid: entity, props: { name: parts[parts.length - 1] } };
}

/**
 * Maps alert records to a graph batch: one `Alert` node per fingerprint (all its notifications in
 * this batch folded into it: latest status, occurrence start times, counts) and `FIRED_ON` to the
 * entity its labels identify. Pure and idempotent: the same records give the same batch, so
 * replaying a webhook leaves the graph as it was. Occurrences are counted within the batch; the
 * running count across batches is kept by alert deduplication (src/alerts).
 */
export function toAlertGraphBatch(records: readonly AlertRecord[], observedAt?: number): GraphBatch {
  const groups = new Map<string, AlertRecord[]>();
  for (const r of records) {
    const g = groups.get(r.fingerprint);
    if (g) g.push(r);
    else groups.set(r.fingerprint, [r]);
  }
  const nodes: NodeRecord[] = [];
  const edges: EdgeRecord[] = [];
  const entities = new Set<Uid>();
  for (const [fingerprint, group] of groups) {
    const id = alertUid(fingerprint);
    nodes.push({ label: 'Alert', uid: id, props: alertProps(group) });
    const latest = group.reduce((a, b) => (b.startsAt >= a.startsAt ? b : a));
    if (latest.entity === null) continue;
    if (!entities.has(latest.entity)) {
      const n = entityNode(latest.entity);
      if (n) nodes.push(n);
      entities.add(latest.entity);
    }
    edges.push({ type: 'FIRED_ON', from: id, to: latest.entity, props: {} });
  }
  return observedAt === undefined ? { nodes, edges } : { nodes, edges, observedAt };
}
