import type { CypherResult } from '../../src/graph/graph-store.js';
import type { Incident } from '../../src/incidents/incident.js';
import type { CardContext } from '../../src/assistant/card-context.js';
import { toIncidentCard } from '../../src/assistant/incident-card.js';
import type { Reply } from '../../src/assistant/reply.js';
import { tableText } from '../../src/assistant/table-text.js';

/** Defaults for terminal rendering. */
export const DEFAULTS = { candidates: 5, lines: 5, cellWidth: 40 };

/** Card text for a terminal: no *bold* markers, Slack mentions as @id. Pure. */
export const plain = (s: string) =>
  s
    // Not the <*> of a log template's wildcard.
    .replace(/(?<![<\w])\*([^*\n]+)\*(?![>\w])/g, '$1')
    .replace(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>/g, '@$1');
const more = (n: number) => (n > 0 ? [`  …and ${n} more`] : []);
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function list(heading: string, items: string[], max = DEFAULTS.lines): string[] {
  if (items.length === 0) return [];
  return [`${heading}:`, ...items.slice(0, max).map((i) => `  - ${plain(i)}`), ...more(items.length - max)];
}

/** An incident card as plain text: the same content and order as the Slack card. Pure. */
export function renderIncidentText(incident: Incident, context?: CardContext): string {
  const c = toIncidentCard(incident, context);
  const l = c.lifecycle;
  const state = l.state.toUpperCase();
  const who = [
    l.acknowledged ? `acknowledged by ${l.acknowledged.by} ${iso(l.acknowledged.at)}` : '',
    l.assignee ? `assigned to ${l.assignee.kind === 'group' ? 'group ' : ''}${l.assignee.id}` : '',
    l.resolution ? `resolved by ${l.resolution.by}${l.resolution.note ? `: ${l.resolution.note}` : ''}` : '',
  ].filter(Boolean);
  const out = [
    `== Incident #${c.number} [${state}] [${c.severity}] ${c.title}`,
    `   opened ${iso(c.openedAt)}${c.resolvedAt ? `, resolved ${iso(c.resolvedAt)}` : ''} · ${c.alerts} alert${c.alerts === 1 ? '' : 's'} · revision ${c.revision}${who.length ? ` · ${who.join(' · ')}` : ''}`,
  ];
  out.push(...list('Impact', c.impact, 3));
  const [top, ...others] = c.candidates;
  if (!top) out.push('Top suspect: not diagnosed yet.');
  else {
    out.push(`Top suspect: ${top.name}  score ${top.score.toFixed(2)} — ${plain(top.evidence)}`);
    if (c.confidence) out.push(`   ${c.confidence}`);
    if (others.length > 0) {
      out.push('Other suspects:');
      out.push(
        ...others
          .slice(0, DEFAULTS.candidates - 1)
          .map((k) => `  ${k.rank}. ${k.name}  score ${k.score.toFixed(2)} — ${plain(k.evidence)}`),
      );
      out.push(...more(others.length - (DEFAULTS.candidates - 1)));
    }
  }
  if (c.path.length > 1) out.push(`Propagation path: ${c.path.join(' → ')}`);
  out.push(...list(`Evidence on ${top?.name ?? 'the top suspect'}`, [...c.metrics, ...c.logTemplates]));
  out.push(
    ...list(
      `Alerts (${c.alerts})`,
      c.alertGroups.map(
        (g) =>
          `${g.name} ×${g.count}${g.firing ? ` (${g.firing} firing)` : ''}${g.severity ? ` [${g.severity}]` : ''} on ${g.entities.join(', ') || '?'}`,
      ),
    ),
    ...list('Recent changes', c.changes),
  );
  if (c.owners.length > 0) out.push(`Owners: ${c.owners.join(', ')}`);
  out.push(
    ...list(
      'Links',
      c.links.map((k) => `${k.label}: ${k.url}`),
      8,
    ),
  );
  out.push(
    `More: "incident ${c.number}", "why?" · "ack", "assign to @name", "resolve: <note>" · feedback: "root cause is <name>" / "not <name>"`,
  );
  return out.join('\n');
}

/** A Cypher result as a fixed-width table. */
export const renderTableText = (t: CypherResult): string => tableText(t, DEFAULTS.cellWidth);

/** A reply as plain text for the terminal: title, note, card or table, sections, evidence, follow-ups. Pure. */
export function renderReplyText(r: Reply): string {
  const out = [r.error ? `!! ${plain(r.title)}` : `# ${plain(r.title)}`];
  if (r.note) out.push(`(note: ${plain(r.note)})`);
  if (r.incident) out.push(renderIncidentText(r.incident, r.cardContext));
  if (r.table) out.push(renderTableText(r.table));
  for (const s of r.sections) {
    if (s.heading) out.push(`${plain(s.heading)}:`);
    out.push(...s.lines.map((l) => `  ${plain(l)}`));
  }
  // The card shows the incident's evidence, and lines already shown are not repeated; the rest is listed.
  const shown = new Set(r.sections.flatMap((s) => s.lines));
  const cited = r.incident ? [] : r.evidence.filter((e) => !shown.has(e.summary));
  if (cited.length > 0) {
    out.push(
      `Evidence (${cited.length}):`,
      ...cited.slice(0, 8).map((e) => `  [${e.label}] ${plain(e.summary)}`),
      ...more(cited.length - 8),
    );
  }
  if (r.actions.length > 0) out.push(`Try: ${r.actions.map((a) => `"${a.command}"`).join(' · ')}`);
  return out.join('\n');
}
