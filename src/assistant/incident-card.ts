import type { Incident, Suspect } from '../incidents/incident.js';
import type { SuspectExplanation } from '../model/suspect-explanation.js';
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

type Explained = SuspectExplanation;
type Metric = NonNullable<Explained['metrics']>[number];
type LogTemplate = NonNullable<Explained['logTemplates']>[number];
type Change = NonNullable<Explained['changes']>[number];

const n3 = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(3)) : v);

function metricLine(m: Metric): string {
  const range = m.normal !== undefined && m.peak !== undefined ? ` (normal ${n3(m.normal)}, peak ${n3(m.peak)})` : '';
  return `${m.metric} z=${n3(m.z)}${range}`;
}

function logLine(t: LogTemplate): string {
  const counts = t.windowCount !== undefined ? ` — ${t.windowCount} in window vs ${n3(t.expected ?? 0)} expected` : '';
  return `${t.template}${counts}`;
}

// `at` is unix seconds (SuspectExplanation's unit).
function changeLine(c: Change): string {
  const at =
    c.at !== undefined && Number.isFinite(c.at)
      ? new Date(c.at * 1000).toISOString().slice(0, 16).replace('T', ' ')
      : '';
  return `${at ? `${at} ` : ''}${c.description}${c.entity ? ` (${displayName(c.entity)})` : ''}`;
}

/** Maps an incident to its card content. Pure. */
export function toIncidentCard(incident: Incident): IncidentCard {
  const suspects = [...incident.suspects].sort((a, b) => a.rank - b.rank);
  const top: Suspect | undefined = suspects[0];
  const ex: Explained = top?.explanation ?? {};
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
    path: (ex.path ?? []).map((p) => displayName(p)),
    metrics: (ex.metrics ?? []).map(metricLine),
    logTemplates: (ex.logTemplates ?? []).map(logLine),
    changes: (ex.changes ?? []).map(changeLine),
    more: `/rootgraph incident ${incident.number}`,
  };
}
