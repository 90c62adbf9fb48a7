import type { CypherResult } from '../../src/graph/graph-store.js';
import type { Incident } from '../../src/incidents/incident.js';
import { toIncidentCard } from '../../src/assistant/incident-card.js';
import type { Reply } from '../../src/assistant/reply.js';
import { tableText } from '../../src/assistant/table-text.js';

/** Defaults for terminal rendering. */
export const DEFAULTS = { candidates: 5, lines: 5, cellWidth: 40 };

const plain = (s: string) => s.replace(/\*([^*\n]+)\*/g, '$1');
const more = (n: number) => (n > 0 ? [`  …and ${n} more`] : []);

function list(heading: string, items: string[], max = DEFAULTS.lines): string[] {
  if (items.length === 0) return [];
  return [`${heading}:`, ...items.slice(0, max).map((i) => `  - ${i}`), ...more(items.length - max)];
}

/** An incident card as plain text: the same content and order as the Slack card. Pure. */
export function renderIncidentText(incident: Incident): string {
  const c = toIncidentCard(incident);
  const state = c.status === 'resolved' ? 'RESOLVED' : 'OPEN';
  const out = [
    `== Incident #${c.number} [${state}] [${c.severity}] ${c.title}`,
    `   opened ${new Date(c.openedAt).toISOString()}${c.resolvedAt ? `, resolved ${new Date(c.resolvedAt).toISOString()}` : ''} · ${c.alerts} alert${c.alerts === 1 ? '' : 's'} · revision ${c.revision}`,
  ];
  if (c.candidates.length === 0) out.push('Root causes: not diagnosed yet.');
  else {
    out.push('Ranked root causes:');
    out.push(
      ...c.candidates
        .slice(0, DEFAULTS.candidates)
        .map((k) => `  ${k.rank}. ${k.name}  score ${k.score.toFixed(2)} — ${k.why}`),
    );
    out.push(...more(c.candidates.length - DEFAULTS.candidates));
  }
  if (c.path.length > 1) out.push(`Propagation path: ${c.path.join(' → ')}`);
  out.push(
    ...list('Anomalous metrics', c.metrics),
    ...list('Log templates', c.logTemplates),
    ...list('Recent changes', c.changes),
  );
  out.push(
    `More: "incident ${c.number}" · feedback: "root cause is <name> for incident ${c.number}" / "not <name> for incident ${c.number}"`,
  );
  return out.join('\n');
}

/** A Cypher result as a fixed-width table. */
export const renderTableText = (t: CypherResult): string => tableText(t, DEFAULTS.cellWidth);

/** A reply as plain text for the terminal: title, note, card or table, sections, evidence, follow-ups. Pure. */
export function renderReplyText(r: Reply): string {
  const out = [r.error ? `!! ${r.title}` : `# ${r.title}`];
  if (r.note) out.push(`(note: ${r.note})`);
  if (r.incident) out.push(renderIncidentText(r.incident));
  if (r.table) out.push(renderTableText(r.table));
  for (const s of r.sections) {
    if (s.heading) out.push(`${plain(s.heading)}:`);
    out.push(...s.lines.map((l) => `  ${plain(l)}`));
  }
  if (r.evidence.length > 0) {
    out.push(
      `Evidence (${r.evidence.length}):`,
      ...r.evidence.slice(0, 8).map((e) => `  [${e.label}] ${e.uid} — ${plain(e.summary)}`),
      ...more(r.evidence.length - 8),
    );
  }
  if (r.actions.length > 0) out.push(`Try: ${r.actions.map((a) => `"${a.command}"`).join(' · ')}`);
  return out.join('\n');
}
