import { RootgraphError } from '../../errors.js';
import { incidentUid } from '../../incidents/incident.js';
import type { AssistantContext } from '../context.js';
import { toIncidentCard } from '../incident-card.js';
import type { Reply } from '../reply.js';
import { formatAge } from '../time-phrases.js';
import { capLines } from './list-lines.js';

/** "List open incidents": newest first, each with its top suspect. */
export async function answerListIncidents(ctx: AssistantContext): Promise<Reply> {
  const open = await ctx.incidents.listOpen(50);
  const now = ctx.now();
  const lines = open.map((i) => {
    const top = toIncidentCard(i).candidates[0];
    return `#${i.number} [${i.severity}] ${i.title} — opened ${formatAge(now - i.openedAt)} ago${top ? `, top suspect \`${top.name}\` (${top.score.toFixed(2)})` : ', not diagnosed yet'}`;
  });
  return {
    title: open.length === 0 ? 'No open incidents' : `${open.length} open incident${open.length === 1 ? '' : 's'}`,
    sections: lines.length ? [{ lines: capLines(lines, 20) }] : [],
    evidence: open.map((i) => ({ uid: incidentUid(i.number), label: 'Incident', summary: `#${i.number} ${i.title}` })),
    actions: open.slice(0, 5).map((i) => ({ label: `Incident #${i.number}`, command: `incident ${i.number}` })),
  };
}

/** "Show incident N": the incident card, and every candidate as text. */
export async function answerShowIncident(ctx: AssistantContext, number: number): Promise<Reply> {
  const incident = await ctx.incidents.get(number);
  if (!incident) {
    throw new RootgraphError('NOT_FOUND', `There is no incident #${number}.`, {
      hint: 'Ask "list incidents" for the open ones.',
    });
  }
  const card = toIncidentCard(incident);
  const candidates = card.candidates.map((c) => `${c.rank}. \`${c.name}\` score ${c.score.toFixed(2)} — ${c.why}`);
  return {
    title: `Incident #${number}: ${incident.title}`,
    sections: [{ heading: 'All candidates', lines: candidates.length ? candidates : ['Not diagnosed yet.'] }],
    evidence: [
      {
        uid: incidentUid(number),
        label: 'Incident',
        summary: `#${number} ${incident.status}, revision ${incident.revision}`,
      },
      ...card.candidates
        .slice(0, 10)
        .map((c) => ({ uid: c.entity, label: 'SUSPECTS', summary: `rank ${c.rank}, score ${c.score.toFixed(2)}` })),
    ],
    actions: card.candidates
      .slice(0, 3)
      .map((c) => ({ label: `What is wrong with ${c.name}`, command: `what is wrong with ${c.name}` })),
    incident,
  };
}
