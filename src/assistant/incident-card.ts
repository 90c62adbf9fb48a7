/**
 * What an incident card says, independent of Slack or the terminal, in the order an on-call engineer
 * reads it: what is broken (impact), the top suspect with its strongest evidence in one line, the other
 * suspects, the grouped alerts, recent changes, owners, links, and who is on it. Pure: the graph reads
 * happen in card-context.ts.
 */
import type { Incident, IncidentLifecycle, Suspect } from '../incidents/incident.js';
import type { SuspectExplanation } from '../model/suspect-explanation.js';
import { labelOf } from '../model/uid.js';
import { describeTraceShift } from '../model/trace-shift-words.js';
import { confidenceLevel, type ConfidenceLevel } from '../rca/confidence-levels.js';
import type { CardAlert, CardContext } from './card-context.js';
import { count, formatMetricMove, metricInfo, plural, sig, SLIS_NORMAL } from './format.js';
import { fillTemplate, isWebUrl, silenceUrl, type CardLink, type LinkSubject } from './links.js';
import { displayName } from './resolve-entity.js';
import { formatTime } from './time-phrases.js';

/** One candidate as a card shows it: its rank, score and strongest evidence in one line. */
export interface CardCandidate {
  entity: string;
  name: string;
  rank: number;
  score: number;
  /** The RCA's own one-line reason. */
  why: string;
  /** The strongest evidence with entity, units and alerts: "memory 54.2 MiB → 65.8 MiB (17.6σ above normal)". */
  evidence: string;
}

/** Alerts of one name, folded: how many, how many still firing, on what, and where to read more. */
export interface CardAlertGroup {
  name: string;
  count: number;
  firing: number;
  severity?: string;
  entities: string[];
  summary?: string;
  runbookUrl?: string;
  generatorUrl?: string;
  silenceUrl?: string;
}

/** Who is on it: acknowledgement, assignee, resolution note; times are ms since epoch. */
export interface CardLifecycle {
  state: 'open' | 'acknowledged' | 'resolved';
  acknowledged?: { by: string; at: number };
  assignee?: { id: string; kind: 'user' | 'group' };
  resolution?: { by: string; at: number; note?: string };
}

/** A card's content. Lines are markdown-ish (`code`, *bold*); times are ms since epoch. */
export interface IncidentCard {
  number: number;
  title: string;
  status: Incident['status'];
  severity: Incident['severity'];
  openedAt: number;
  resolvedAt?: number;
  revision: number;
  lifecycle: CardLifecycle;
  /** What users feel: the entry SLI and other service-level moves, or the alerts on the entry. */
  impact: string[];
  candidates: CardCandidate[];
  /** How far to trust the suspects, in words, with the caveats; null before a diagnosis that stated one. */
  confidence: string | null;
  confidenceLevel: ConfidenceLevel | null;
  /** The top candidate's propagation path to the entry (display names). */
  path: string[];
  /** The top candidate's moved metrics, each with its entity and units. */
  metrics: string[];
  logTemplates: string[];
  changes: string[];
  alerts: number;
  alertGroups: CardAlertGroup[];
  entities: string[];
  owners: string[];
  links: CardLink[];
  /** The command that shows everything. */
  more: string;
}

type Metric = NonNullable<SuspectExplanation['metrics']>[number];
type LogTemplate = NonNullable<SuspectExplanation['logTemplates']>[number];

const EMPTY: CardContext = {
  alerts: [],
  evidence: [],
  changes: [],
  owners: [],
  serviceOf: {},
  namespaceOf: {},
  links: {},
};

/** Maps an incident (and what the graph says around it) to its card content. Pure. */
export function toIncidentCard(incident: Incident, context: CardContext = EMPTY): IncidentCard {
  const suspects = [...incident.suspects].sort((a, b) => a.rank - b.rank);
  const top: Suspect | undefined = suspects[0];
  const ex: SuspectExplanation = top?.explanation ?? {};
  // Two suspects of one name (the Service and its Deployment) are told apart by their kind.
  const names = suspects.map((s) => displayName(s.entity));
  const name = (e: string) => {
    const n = displayName(e);
    return names.filter((x) => x === n).length > 1 && e.includes(':') ? `${n} (${labelOf(e).toLowerCase()})` : n;
  };
  return {
    number: incident.number,
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    openedAt: incident.openedAt,
    resolvedAt: incident.status === 'resolved' ? incident.resolvedAt : undefined,
    revision: incident.revision,
    lifecycle: lifecycleOf(incident.status, incident.lifecycle),
    impact: impactLines(incident, suspects, context),
    candidates: suspects.map((s) => ({
      entity: s.entity,
      name: name(s.entity),
      rank: s.rank,
      score: s.score,
      why: s.why,
      evidence: evidenceLine(s, context.alerts),
    })),
    confidence: confidenceLine(incident.confidence),
    confidenceLevel: incident.confidence ? confidenceLevel(incident.confidence.value) : null,
    path: (ex.path ?? []).map(displayName).filter((p, i, all) => i === 0 || all[i - 1] !== p),
    metrics: (ex.metrics ?? []).map((m) => metricLine(top ? displayName(top.entity) : '?', m)),
    logTemplates: (ex.logTemplates ?? []).map(logLine),
    changes: changeLines(ex, context),
    alerts: incident.alertFingerprints.length,
    alertGroups: alertGroups(context),
    entities: incident.entities,
    owners: context.owners,
    links: cardLinks(incident, top, context),
    more: `/rootgraph incident ${incident.number}`,
  };
}

function lifecycleOf(status: Incident['status'], l: IncidentLifecycle | undefined): CardLifecycle {
  const state = status === 'resolved' ? 'resolved' : l?.acknowledged ? 'acknowledged' : 'open';
  return {
    state,
    ...(l?.acknowledged ? { acknowledged: l.acknowledged } : {}),
    ...(l?.assignee ? { assignee: { id: l.assignee.id, kind: l.assignee.kind } } : {}),
    ...(status === 'resolved' && l?.resolution ? { resolution: l.resolution } : {}),
  };
}

/**
 * The suspects in a few words for a notification: "top suspect cartservice (score 0.76)", or, when the ranking
 * said it was unsure, "leads (low confidence): cartservice, frontend, redis-cart" — no single name to
 * chase at 3 a.m. on a guess. Null before a diagnosis.
 */
export function suspectHeadline(
  card: Pick<IncidentCard, 'candidates' | 'confidenceLevel'>,
  opts: { score?: boolean; code?: boolean } = {},
): string | null {
  const top = card.candidates[0];
  if (!top) return null;
  const name = (n: string) => (opts.code ? `\`${n}\`` : n);
  if (card.confidenceLevel === 'low')
    return `leads (low confidence): ${card.candidates
      .slice(0, 3)
      .map((c) => name(c.name))
      .join(', ')}`;
  return `top suspect ${name(top.name)}${opts.score === false ? '' : ` (score ${top.score.toFixed(2)})`}`;
}

/**
 * "Confidence low (0.05): short baseline …; no traces. Treat the suspects as leads, not answers." Low is
 * where the first suspect was right about half the time on the evaluation's fit cases (confidence-levels.ts).
 */
export function confidenceLine(c: Incident['confidence']): string | null {
  if (!c) return null;
  const level = confidenceLevel(c.value);
  const why = c.caveats.length > 0 ? `: ${c.caveats.join('; ')}` : '';
  const advice = level === 'low' ? '. Treat the suspects as leads, not answers.' : '';
  return `Confidence ${level} (${c.value.toFixed(2)})${why}${advice}`;
}

/** "`currencyservice-…` memory 54.2 MiB → 65.8 MiB (17.6σ above normal)". */
export function metricLine(entity: string, m: Metric): string {
  return `\`${entity}\` ${formatMetricMove(m)}`;
}

function logLine(t: LogTemplate): string {
  const counts =
    t.windowCount !== undefined && Number.isFinite(t.windowCount)
      ? ` — ${plural(t.windowCount, 'line')} in the window vs ${sig(t.expected ?? 0)} expected`
      : '';
  return `\`${t.template}\`${counts}`;
}

// Explanation change times are unix seconds (SuspectExplanation's unit); graph changes are ms.
function changeLines(ex: SuspectExplanation, context: CardContext): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  const add = (at: number | undefined, description: string, entity?: string, by?: string) => {
    const key = `${description}|${entity ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    const when = at !== undefined && Number.isFinite(at) ? `${formatTime(at)} ` : '';
    lines.push(`${when}${entity ? `\`${entity}\`: ` : ''}${description}${by ? ` (by ${by})` : ''}`);
  };
  for (const c of context.changes) add(c.at, c.description, c.entity, c.by);
  for (const c of ex.changes ?? [])
    add(c.at !== undefined ? c.at * 1000 : undefined, c.description, c.entity ? displayName(c.entity) : undefined);
  return lines;
}

/** The strongest evidence of one suspect in one line: its biggest metric move, alerts on it, a log surge. */
function evidenceLine(s: Suspect, alerts: CardAlert[]): string {
  const parts: string[] = [];
  const m = s.explanation.metrics?.[0];
  if (m) parts.push(formatMetricMove(m));
  // By name: the RCA may rank a Deployment while alerts fire on the Service of the same name.
  const name = displayName(s.entity);
  const own = alerts.filter((a) => a.entityUid === s.entity || a.entity === name);
  const names = [...new Set(own.map((a) => `${a.name}${a.status === 'firing' ? ' (firing)' : ''}`))];
  if (names.length > 0) parts.push(`alert${names.length > 1 ? 's' : ''} ${names.slice(0, 3).join(', ')}`);
  const t = s.explanation.logTemplates?.[0];
  if (t) parts.push(`log \`${t.template}\`${t.windowCount !== undefined ? ` ×${count(t.windowCount)}` : ''}`);
  if (s.explanation.traceShift) parts.push(`trace: ${describeTraceShift(s.explanation.traceShift)}`);
  else if (parts.length === 0 && s.explanation.trace)
    parts.push(`slowest trace operation ${s.explanation.trace.operation}`);
  if (parts.length > 0 && s.explanation.slisNormal) parts.push(SLIS_NORMAL);
  return parts.length > 0 ? parts.join('; ') : s.why;
}

/**
 * What users feel: for the entry and the incident's other services, their biggest service-level move
 * (latency, errors, traffic) from the diagnosis and the incident's recorded evidence; where the entry
 * has none, the alerts on it. Matched by name (a suspect may be the Deployment of a Service).
 */
function impactLines(incident: Incident, suspects: Suspect[], context: CardContext): string[] {
  const names = [...new Set([...(incident.entry ? [incident.entry] : []), ...incident.entities])]
    .filter((e) => labelOf(e) === 'Service' || !e.includes(':'))
    .map((e) => displayName(e));
  const entry = incident.entry ? displayName(incident.entry) : undefined;
  const lines: string[] = [];
  for (const name of [...new Set(names)]) {
    const moves = [
      ...suspects.filter((s) => displayName(s.entity) === name).flatMap((s) => s.explanation.metrics ?? []),
      ...context.evidence.filter((e) => e.entity === name),
    ];
    const sli = moves
      .filter((m) => metricInfo(m.metric).sli && Number.isFinite(m.z))
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))[0];
    if (sli) lines.push(`\`${name}\` ${formatMetricMove(sli)}`);
    else if (name === entry) {
      const on = context.alerts.filter((a) => a.entity === name);
      const rules = [...new Map(on.map((a) => [a.name, a.summary ? `${a.name} (${a.summary})` : a.name])).values()];
      if (rules.length > 0) lines.push(`\`${name}\` ${rules.slice(0, 2).join(', ')}`);
    }
  }
  return lines.slice(0, 3);
}

const SEVERITY = ['critical', 'error', 'warning', 'info'];

function alertGroups(context: CardContext): CardAlertGroup[] {
  const groups = new Map<string, CardAlert[]>();
  for (const a of context.alerts) groups.set(a.name, [...(groups.get(a.name) ?? []), a]);
  return [...groups.entries()]
    .map(([name, list]): CardAlertGroup => {
      const firing = list.filter((a) => a.status === 'firing');
      const severity = list
        .map((a) => a.severity)
        .filter((s): s is string => s !== undefined)
        .sort((a, b) => rank(a) - rank(b))[0];
      const common = commonLabels(firing.length > 0 ? firing : list);
      return {
        name,
        count: list.length,
        firing: firing.length,
        severity,
        entities: [...new Set(list.map((a) => a.entity).filter((e): e is string => e !== undefined))],
        summary: list.find((a) => a.summary)?.summary,
        runbookUrl:
          list.map((a) => a.runbookUrl).find(isWebUrl) ??
          (context.links.runbook ? fillLink(context.links.runbook, { entity: '', alertname: name }) : undefined),
        generatorUrl: list.map((a) => a.generatorUrl).find(isWebUrl),
        silenceUrl:
          context.links.alertmanager && firing.length > 0 ? silenceUrl(context.links.alertmanager, common) : undefined,
      };
    })
    .sort((a, b) => b.firing - a.firing || rank(a.severity) - rank(b.severity) || b.count - a.count);
}

const rank = (s: string | undefined) => (s && SEVERITY.includes(s) ? SEVERITY.indexOf(s) : SEVERITY.length);

function commonLabels(alerts: CardAlert[]): Record<string, string> {
  const [first, ...rest] = alerts;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first.labels).filter(([k, v]) => rest.every((a) => a.labels[k] === v)));
}

function fillLink(template: string, s: Partial<LinkSubject> & { entity: string }): string | undefined {
  const url = fillTemplate(template, { from: 0, to: 0, ...s });
  return isWebUrl(url) ? url : undefined;
}

/** Links for the top suspect's evidence window: metric graph, traces, logs, runbook, alert source, silence. */
function cardLinks(incident: Incident, top: Suspect | undefined, context: CardContext): CardLink[] {
  const l = context.links;
  const start = incident.reopenedAt ?? incident.openedAt;
  const window = { from: start - 30 * 60_000, to: Math.max(incident.updatedAt, start) + 5 * 60_000 };
  const subjectUid = top?.entity ?? incident.entry;
  const out: CardLink[] = [];
  if (context.pageUrl) out.push({ label: 'how it spread (page)', url: context.pageUrl });
  if (subjectUid) {
    const entity = displayName(subjectUid);
    const kind = labelOf(subjectUid) === 'Pod' ? 'pod' : labelOf(subjectUid) === 'Machine' ? 'machine' : 'service';
    const service = kind === 'pod' ? (context.serviceOf[subjectUid] ?? entity) : entity;
    const base = { entity, kind, service, namespace: context.namespaceOf[subjectUid], ...window } as const;
    // A move measured on another entity (a callee's calls per request) has no graph of this entity's.
    const metric = top?.explanation.metrics?.find((m) => m.of === undefined)?.metric;
    const add = (label: string, tpl: string | undefined, extra: Partial<LinkSubject> = {}) => {
      const url = tpl ? fillLink(tpl, { ...base, ...extra }) : undefined;
      if (url) out.push({ label, url });
    };
    add(metric ? `${metricInfo(metric).label} of ${entity}` : `metrics of ${entity}`, l.metrics, { metric });
    add(`traces of ${service}`, l.traces);
    add(`logs of ${service}`, l.logs);
  }
  const groups = alertGroups(context);
  const firstRunbook = groups.find((g) => g.runbookUrl);
  if (firstRunbook?.runbookUrl) out.push({ label: `runbook: ${firstRunbook.name}`, url: firstRunbook.runbookUrl });
  const source = groups.find((g) => g.generatorUrl);
  if (source?.generatorUrl) out.push({ label: `alert source: ${source.name}`, url: source.generatorUrl });
  const silence = groups.find((g) => g.silenceUrl);
  if (silence?.silenceUrl) out.push({ label: `silence ${silence.name}`, url: silence.silenceUrl });
  return out;
}
