import type { Incident, Suspect } from '../incidents/incident.js';
import { displayName } from './resolve-entity.js';

/** One candidate as a card shows it. */
export interface CardCandidate {
  entity: string;
  name: string;
  rank: number;
  score: number;
  why: string;
}

/**
 * What an incident card says, independent of Slack or the terminal: the ranked candidates and
 * the top candidate's evidence (propagation path, anomalous metrics, log templates, changes).
 * Built from `Suspect.explanation` as src/rca/explain.ts writes it; missing parts stay empty.
 */
export interface IncidentCard {
  number: number;
  title: string;
  status: Incident['status'];
  severity: Incident['severity'];
  openedAt: number;
  resolvedAt?: number;
  revision: number;
  alerts: number;
  entities: string[];
  candidates: CardCandidate[];
  path: string[];
  metrics: string[];
  logTemplates: string[];
  changes: string[];
  /** The command that shows everything. */
  more: string;
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const n3 = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(3)) : v);

function metricLine(m: unknown): string {
  const r = rec(m);
  const z = typeof r.z === 'number' ? `z=${n3(r.z)}` : '';
  const range = r.normal !== undefined && r.peak !== undefined ? ` (normal ${n3(r.normal)}, peak ${n3(r.peak)})` : '';
  return `${String(r.metric ?? '?')} ${z}${range}`.trim();
}

function logLine(t: unknown): string {
  if (typeof t === 'string') return t;
  const r = rec(t);
  const counts = r.windowCount !== undefined ? ` — ${r.windowCount} in window vs ${n3(r.expected)} expected` : '';
  return `${String(r.template ?? r.text ?? '?')}${counts}`;
}

function changeLine(c: unknown): string {
  const r = rec(c);
  const at =
    typeof r.at === 'number'
      ? new Date(r.at < 1e11 ? r.at * 1000 : r.at).toISOString().slice(0, 16).replace('T', ' ')
      : '';
  return `${at ? `${at} ` : ''}${String(r.description ?? r.kind ?? 'change')}${r.entity ? ` (${displayName(String(r.entity))})` : ''}`;
}

/** Maps an incident to its card content. Pure. */
export function toIncidentCard(incident: Incident): IncidentCard {
  const suspects = [...incident.suspects].sort((a, b) => a.rank - b.rank);
  const top: Suspect | undefined = suspects[0];
  const ex = rec(top?.explanation);
  return {
    number: incident.number,
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    openedAt: incident.openedAt,
    resolvedAt: incident.resolvedAt,
    revision: incident.revision,
    alerts: incident.alertFingerprints.length,
    entities: incident.entities,
    candidates: suspects.map((s) => ({
      entity: s.entity,
      name: displayName(s.entity),
      rank: s.rank,
      score: s.score,
      why: s.why,
    })),
    path: arr(ex.path).map((p) => displayName(String(p))),
    metrics: arr(ex.metrics).map(metricLine),
    logTemplates: arr(ex.logTemplates).map(logLine),
    changes: arr(ex.changes).map(changeLine),
    more: `/rootgraph incident ${incident.number}`,
  };
}
