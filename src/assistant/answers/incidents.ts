import { RootgraphError } from '../../errors.js';
import type { Incident } from '../../incidents/incident.js';
import { incidentUid } from '../../incidents/incident.js';
import { loadCardContext } from '../card-context.js';
import type { AssistantContext } from '../context.js';
import { plural } from '../format.js';
import { suspectHeadline, toIncidentCard } from '../incident-card.js';
import type { Question, Reply } from '../reply.js';
import { formatAge, formatTime } from '../time-phrases.js';
import { capLines } from './list-lines.js';

/** "List open incidents": newest first, each with its top suspect and who is on it. */
export async function answerListIncidents(ctx: AssistantContext): Promise<Reply> {
  const open = await ctx.incidents.listOpen(50);
  const now = ctx.now();
  const lines = open.map((i) => {
    const card = toIncidentCard(i);
    const headline = suspectHeadline(card, { code: true });
    const who = card.lifecycle.acknowledged ? `, acknowledged by ${card.lifecycle.acknowledged.by}` : '';
    return `#${i.number} [${i.severity}] ${i.title} — opened ${formatAge(now - i.openedAt)} ago, ${plural(card.alerts, 'alert')}${headline ? `, ${headline}` : ', not diagnosed yet'}${who}`;
  });
  return {
    title: open.length === 0 ? 'No open incidents' : `${plural(open.length, 'open incident')}`,
    sections: lines.length ? [{ lines: capLines(lines, 20) }] : [],
    evidence: open.map((i) => ({ uid: incidentUid(i.number), label: 'Incident', summary: `#${i.number} ${i.title}` })),
    actions: open.slice(0, 5).map((i) => ({ label: `Incident #${i.number}`, command: `incident ${i.number}` })),
    ...(open.length === 1 ? { about: { incident: open[0].number } } : {}),
  };
}

/** The incident a question means: the one named, else the conversation's, else this channel's card, else the only open one. */
export async function whichIncident(
  ctx: AssistantContext,
  q: Question,
  named: number | undefined,
  remembered: number | undefined,
): Promise<Incident> {
  if (named !== undefined) {
    const i = await ctx.incidents.get(named);
    if (!i)
      throw new RootgraphError('NOT_FOUND', `There is no incident #${named}.`, {
        hint: 'Ask "incidents" for the open ones.',
      });
    return i;
  }
  if (remembered !== undefined) {
    const i = await ctx.incidents.get(remembered);
    if (i) return i;
  }
  const open = await ctx.incidents.listOpen(200);
  const here = open.find((i) => i.card?.channel === q.channel);
  if (here) return here;
  if (open.length === 1) return open[0];
  if (open.length === 0)
    throw new RootgraphError('NOT_FOUND', 'No incident is open, and none was named.', {
      hint: 'Say "incident N", or ask "incidents".',
    });
  throw new RootgraphError(
    'INPUT_INVALID',
    `Which incident? ${open.length} are open: ${open
      .slice(0, 5)
      .map((i) => `#${i.number}`)
      .join(', ')}.`,
    { hint: 'Say "incident N" first, or add the number ("ack 3").' },
  );
}

const DONE = { acknowledge: 'acknowledged', assign: 'assigned', resolve: 'resolved', reopen: 'reopened' } as const;

/** "Show incident N": the card (impact, suspects, evidence, alerts, changes, links) and its timeline. */
export async function answerShowIncident(ctx: AssistantContext, incident: Incident): Promise<Reply> {
  const cardContext = await loadCardContext(ctx, incident);
  const card = toIncidentCard(incident, cardContext);
  const timeline = [
    `${formatTime(incident.openedAt)} opened (${formatAge(ctx.now() - incident.openedAt)} ago)`,
    ...(incident.lifecycle?.events ?? []).map(
      (e) =>
        `${formatTime(e.at)} ${e.action === 'assign' ? `assigned to ${e.assignee?.id ?? '?'}` : DONE[e.action]} by ${e.by}${e.note ? ` — ${e.note}` : ''}`,
    ),
  ];
  const top = card.candidates[0];
  return {
    title: `Incident #${incident.number}: ${incident.title}`,
    sections: timeline.length > 1 ? [{ heading: 'Timeline', lines: timeline }] : [],
    evidence: [
      {
        uid: incidentUid(incident.number),
        label: 'Incident',
        summary: `#${incident.number} ${card.lifecycle.state}, ${plural(card.alerts, 'alert')}, revision ${incident.revision}`,
      },
    ],
    actions: [
      ...(top ? [{ label: `Why ${top.name}?`, command: `why incident ${incident.number}` }] : []),
      ...(top ? [{ label: `Logs of ${top.name}`, command: `show errors in ${top.name} logs` }] : []),
      { label: 'What changed', command: 'what changed in the last hour' },
    ],
    incident,
    cardContext,
    about: { incident: incident.number, ...(top ? { entity: top.entity } : {}) },
  };
}
