/**
 * An incident's diagnosis evidence as `Anomaly` nodes: each metric that moved on a suspect (and each log
 * template that surged) becomes an Anomaly FOUND_ON that suspect, so "top anomalies", "what is wrong
 * with X" and Cypher see the same facts the card shows. Written with the incident (IncidentStore).
 */
import { createHash } from 'node:crypto';
import type { EdgeRecord, NodeRecord } from '../model/graph.js';
import { shortName } from '../model/short-name.js';
import { uid } from '../model/uid.js';
import type { Incident } from './incident.js';

/** Knobs: which evidence is worth a node. */
export const DEFAULTS = {
  /** Suspects whose evidence is recorded. */
  suspects: 5,
  /** Metrics per suspect. */
  metrics: 3,
  /** Smallest |z| recorded: below it a metric did not really move. */
  minZ: 3,
  /** The RCA window after an incident's start (ms); evidence is dated within it. */
  windowMs: 15 * 60_000,
};

/**
 * The Anomaly nodes and FOUND_ON edges for the incident's current diagnosis. Pure and idempotent: the
 * uid is (incident, entity, metric), so re-diagnosis updates the same nodes. Times are ms since epoch:
 * `start` is when the incident (re)started, `end` when it was last diagnosed.
 */
export function toEvidenceAnomalies(incident: Incident): { nodes: NodeRecord[]; edges: EdgeRecord[] } {
  const nodes: NodeRecord[] = [];
  const edges: EdgeRecord[] = [];
  const start = incident.reopenedAt ?? incident.openedAt;
  const end = Math.max(start, Math.min(incident.updatedAt, start + DEFAULTS.windowMs));
  const seen = new Set<string>();
  const ranked = [...incident.suspects].sort((a, b) => a.rank - b.rank).slice(0, DEFAULTS.suspects);
  for (const s of ranked) {
    const entity = shortName(s.entity);
    const base = {
      source: 'rca',
      detector: 'rca-evidence',
      entity,
      incident: incident.number,
      rank: s.rank,
      start,
      end,
    };
    const put = (key: string, props: NodeRecord['props']) => {
      const id = uid('Anomaly', 'rca', incident.number, s.entity, key);
      if (seen.has(id)) return;
      seen.add(id);
      nodes.push({ label: 'Anomaly', uid: id, props: { ...base, ...props } });
      if (s.entity.includes(':')) edges.push({ type: 'FOUND_ON', from: id, to: s.entity, props: { metric: key } });
    };
    for (const m of (s.explanation.metrics ?? []).slice(0, DEFAULTS.metrics)) {
      if (!Number.isFinite(m.z) || Math.abs(m.z) < DEFAULTS.minZ) continue;
      put(m.metric, {
        metric: m.metric,
        z: m.z,
        score: Math.abs(m.z),
        normal: finiteOrNull(m.normal),
        peak: finiteOrNull(m.peak),
      });
    }
    for (const t of (s.explanation.logTemplates ?? []).slice(0, DEFAULTS.metrics)) {
      put(`log-${createHash('sha256').update(t.template).digest('hex').slice(0, 12)}`, {
        metric: 'log_template',
        kind: 'log-template',
        summary: t.template,
        windowCount: finiteOrNull(t.windowCount),
        expected: finiteOrNull(t.expected),
        score: finiteOrNull(t.z) ?? 0,
      });
    }
  }
  return { nodes, edges };
}

const finiteOrNull = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
