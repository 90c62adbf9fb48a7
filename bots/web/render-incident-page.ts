/**
 * The incident page: the subgraph with the propagation path beside the evidence (sparklines, surging
 * log templates, changes, the alert timeline) and the feedback buttons. Pure: `link` signs paths.
 */
import { confidenceLine } from '../../src/assistant/incident-card.js';
import type { Incident } from '../../src/incidents/incident.js';
import { renderGraphSvg } from './graph-svg.js';
import { esc, page, sig3, utc } from './html.js';
import type { IncidentView } from './load-incident-view.js';
import { renderAlertTimeline, renderSparkline } from './sparkline-svg.js';

/** Turns a site path into the href to print (signed when the page was opened through a signed link). */
export type Linker = (path: string) => string;

/** Renders the incident page's HTML. `notice` is a one-line message (after feedback). Pure. */
export function renderIncidentPage(v: IncidentView, link: Linker, notice?: string): string {
  const i = v.incident;
  const suspects = [...i.suspects].sort((a, b) => a.rank - b.rank);
  const nameOfUid = new Map(v.nodes.map((n) => [n.uid, n.name]));
  const name = (u: string) => nameOfUid.get(u) ?? u.slice(u.lastIndexOf('/') + 1);
  const kindOf = (u: string) => u.slice(0, Math.max(0, u.indexOf(':'))).toLowerCase();
  const graph = incidentGraphSvg(v, link);
  const path =
    v.path.length > 0
      ? `<p class="path" aria-label="propagation path"><strong>Propagation path:</strong> ${v.path.map((u) => `<code>${esc(name(u))}</code> <span class="muted">${esc(kindOf(u))}</span>`).join(' → ')}</p>`
      : '<p class="muted">No propagation path: the top suspect is not connected to the entry.</p>';
  const trust = confidenceLine(i.confidence);
  const png = `<a href="${esc(link(`/incidents/${i.number}/graph.png`))}">this graph as a PNG</a>`;
  const body = `<h1>Incident ${i.number}: ${esc(i.title)}</h1>
<p>${statusTags(i)} opened ${esc(utc(i.openedAt))} · ${i.alertFingerprints.length} alerts · revision ${i.revision}${ackLine(i)}</p>
${notice ? `<p class="notice" role="status">${esc(notice)}</p>` : ''}
<div class="cols"><section class="graph" aria-labelledby="g-h"><h2 id="g-h">How the failure spread</h2>
<div class="panel scroll">${graph}</div>${path}<p class="muted">${png}</p>
<p class="legend">Hexagon = suspect, labelled with its rank and score (redder = higher score) · dashed red ring and “⚠ alert” = an alert fired on it · “entry” = where users felt it · thick black arrows = the propagation path · grey line width = calls in the last window (dashed: selects / runs on). Tab or arrow keys move between entities; Enter opens an entity's neighbourhood.</p>
<h2>Suspects</h2>${trust ? `<p class="confidence">${esc(trust)}</p>` : ''}${suspectTable(v, suspects, name, link)}</section>
<section class="evidence" aria-labelledby="e-h"><h2 id="e-h">Evidence</h2>
<div class="panel"><h2>Anomalous metrics</h2>${sparkBlock(v)}</div>
<div class="panel"><h2>Alert timeline</h2>${renderAlertTimeline(
    v.alerts.map((a) => ({ name: a.name, entity: a.entity, status: a.status, at: a.startsAt })),
    timelineWindow(v),
  )}</div>
<div class="panel"><h2>Log templates that surged</h2>${list(
    v.logTemplates.map(
      (t) =>
        `<code>${esc(t.template)}</code> on ${esc(t.entity)}${t.windowCount !== undefined ? ` — ${sig3(t.windowCount)} lines vs ${sig3(t.expected ?? 0)} expected` : ''}`,
    ),
    'No surging log templates.',
  )}</div>
<div class="panel"><h2>Recent changes</h2>${list(
    v.changes.map(
      (c) =>
        `${esc(utc(c.at))} <code>${esc(c.entity)}</code>: ${esc(c.description)}${c.by ? ` (by ${esc(c.by)})` : ''}`,
    ),
    'No changes recorded near the start.',
  )}</div>
<div class="panel"><h2>Feedback given</h2>${list(
    v.feedback.map(
      (f) => `<span class="feedback-entry">${esc(name(f.entity))}: ${esc(f.verdict)} (by ${esc(f.by)})</span>`,
    ),
    'None yet.',
  )}</div></section></div>`;
  return page({
    title: `Incident ${i.number}`,
    nav: [
      { href: link('/incidents'), label: 'all incidents' },
      ...(i.entry
        ? [{ href: link(`/graph?around=${encodeURIComponent(i.entry)}&hops=2`), label: 'around the entry' }]
        : []),
    ],
    body,
  });
}

/** The incident's subgraph as SVG; with `link`, each entity links to its neighbourhood page. Pure. */
export function incidentGraphSvg(v: IncidentView, link?: Linker): string {
  const nodes = link
    ? v.nodes.map((n) => ({ ...n, href: link(`/graph?around=${encodeURIComponent(n.uid)}&hops=2`) }))
    : v.nodes;
  return renderGraphSvg(nodes, v.edges, { title: `incident ${v.incident.number} subgraph` });
}

function suspectTable(
  v: IncidentView,
  suspects: Incident['suspects'],
  name: (u: string) => string,
  link: Linker,
): string {
  if (suspects.length === 0) return '<p class="muted">Not diagnosed yet.</p>';
  const action = link(`/incidents/${v.incident.number}/feedback`);
  const rows = suspects.map((s) => {
    const who = esc(name(s.entity));
    const form = (verdict: string, label: string, cls: string) =>
      `<form class="fb" method="post" action="${esc(action)}"><input type="hidden" name="entity" value="${esc(s.entity)}"><input type="hidden" name="verdict" value="${verdict}"><button type="submit" class="${cls}" aria-label="${esc(`${label}: ${name(s.entity)}`)}">${label}</button></form>`;
    return `<tr><td>#${s.rank}</td><td><code>${who}</code><br><span class="muted">${esc(s.why)}</span></td><td>${sig3(s.score)}</td><td>${form('root-cause', 'root cause', 'yes')}${form('not-root-cause', 'not this one', 'no')}</td></tr>`;
  });
  return `<div class="scroll"><table><thead><tr><th>rank</th><th>suspect</th><th>score</th><th>feedback</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function sparkBlock(v: IncidentView): string {
  if (v.sparks.length === 0) return '<p class="muted">No anomalous metrics on the suspects.</p>';
  return v.sparks
    .map(
      (s) =>
        `<figure class="spark"><figcaption><code>${esc(s.entity)}</code> ${esc(s.metric)}</figcaption>${renderSparkline(s)}</figure>`,
    )
    .join('');
}

// The alerts' own span, widened to the charted window.
function timelineWindow(v: IncidentView): { from: number; to: number } {
  const ts = v.alerts.map((a) => a.startsAt).filter((t): t is number => t !== undefined);
  return { from: Math.min(v.window.from, ...ts), to: Math.max(v.window.to, ...ts) };
}

function statusTags(i: Incident): string {
  return `<span class="tag${i.severity === 'critical' ? ' crit' : ''}">${esc(i.severity)}</span><span class="tag">${esc(i.status)}</span>`;
}

function ackLine(i: Incident): string {
  const a = i.lifecycle?.acknowledged;
  return a ? ` · acknowledged by ${esc(a.by)}` : '';
}

function list(items: string[], empty: string): string {
  return items.length > 0
    ? `<ul>${items.map((x) => `<li>${x}</li>`).join('')}</ul>`
    : `<p class="muted">${esc(empty)}</p>`;
}
