import type { Incident } from '../../incidents/incident.js';
import { incidentUid } from '../../incidents/incident.js';
import { describeTraceShift } from '../../model/trace-shift-words.js';
import { loadCardContext } from '../card-context.js';
import type { AssistantContext } from '../context.js';
import { count, formatMetricMove, plural, sig } from '../format.js';
import { toIncidentCard } from '../incident-card.js';
import type { Evidence, Reply } from '../reply.js';
import { displayName } from '../resolve-entity.js';
import { formatAge } from '../time-phrases.js';

/**
 * "Why?" about an incident: the top suspect and every piece of evidence behind it (metrics with entity
 * and units, alerts on it, log templates with counts, changes, the propagation path), then the runners-up
 * in one line each.
 */
export async function answerWhy(ctx: AssistantContext, incident: Incident): Promise<Reply> {
  const now = ctx.now();
  const cardContext = await loadCardContext(ctx, incident);
  const card = toIncidentCard(incident, cardContext);
  const suspects = [...incident.suspects].sort((a, b) => a.rank - b.rank);
  const top = suspects[0];
  if (!top)
    return {
      title: `Incident #${incident.number} is not diagnosed yet`,
      sections: [{ lines: ['The root-cause analysis has not ranked any suspect for it yet; ask again in a minute.'] }],
      evidence: [],
      actions: [{ label: `Incident #${incident.number}`, command: `incident ${incident.number}` }],
      about: { incident: incident.number },
    };
  const name = displayName(top.entity);
  const ex = top.explanation;
  const evidence: Evidence[] = [];
  const lines: string[] = [];
  for (const m of ex.metrics ?? []) {
    const line = `\`${name}\` ${formatMetricMove(m)}`;
    lines.push(line);
    evidence.push({ uid: `${top.entity}#${m.metric}`, label: 'Metric', summary: line });
  }
  const alerts = cardContext.alerts.filter((a) => a.entityUid === top.entity || a.entity === name);
  for (const a of alerts) {
    const line = `alert \`${a.name}\` ${a.status}${a.severity ? ` [${a.severity}]` : ''} on \`${name}\`${a.summary ? ` — ${a.summary}` : ''}${a.startsAt ? ` (since ${formatAge(now - a.startsAt)} ago)` : ''}`;
    lines.push(line);
    evidence.push({ uid: `Alert:${a.fingerprint}`, label: 'Alert', summary: line });
  }
  for (const t of ex.logTemplates ?? []) {
    const counted =
      t.windowCount !== undefined ? ` — ${plural(t.windowCount, 'line')} vs ${sig(t.expected ?? 0)} expected` : '';
    const line = `log \`${t.template}\`${counted}`;
    lines.push(line);
    evidence.push({ uid: `${top.entity}#log`, label: 'LogTemplate', summary: line });
  }
  if (ex.traceShift) lines.push(`trace: ${describeTraceShift(ex.traceShift)}`);
  if (ex.trace)
    lines.push(`trace: \`${ex.trace.operation}\` is its most suspicious operation (score ${sig(ex.trace.score)})`);
  lines.push(...card.changes.map((c) => `change: ${c}`));
  if (card.path.length > 1) lines.push(`propagation: ${card.path.map((p) => `\`${p}\``).join(' → ')}`);
  const others = card.candidates
    .slice(1, 5)
    .map((c) => `${c.rank}. \`${c.name}\` score ${c.score.toFixed(2)} — ${c.evidence}`);
  return {
    title: `Why incident #${incident.number}: \`${name}\` is the top suspect (score ${top.score.toFixed(2)})`,
    sections: [
      ...(card.impact.length ? [{ heading: 'Impact', lines: card.impact }] : []),
      ...(card.confidence ? [{ heading: 'How sure', lines: [card.confidence] }] : []),
      { heading: `Evidence on ${name}`, lines: lines.length ? lines : [top.why] },
      ...(others.length ? [{ heading: `Other suspects (${count(suspects.length - 1)})`, lines: others }] : []),
    ],
    evidence: [
      { uid: incidentUid(incident.number), label: 'Incident', summary: `#${incident.number} ${incident.title}` },
      ...evidence,
    ],
    actions: [
      { label: `Root cause: ${name}`, command: `root cause is ${name} for incident ${incident.number}` },
      { label: `Logs of ${name}`, command: `show errors in ${name} logs` },
      { label: `What changed`, command: `what changed in ${name}` },
    ],
    about: { incident: incident.number, entity: top.entity },
  };
}
