import { RootgraphError } from '../../errors.js';
import type { FeedbackInput } from '../../incidents/feedback.js';
import type { Incident } from '../../incidents/incident.js';
import type { AssistantContext } from '../context.js';
import type { Question, Reply } from '../reply.js';
import { displayName, resolveEntity } from '../resolve-entity.js';

/**
 * The incident a feedback command means: the one named, else the newest open incident whose card
 * is in this channel, else the only open incident. Throws INPUT_INVALID when it is ambiguous.
 */
async function whichIncident(ctx: AssistantContext, q: Question, named?: number): Promise<Incident> {
  if (named !== undefined) {
    const i = await ctx.incidents.get(named);
    if (!i) throw new RootgraphError('NOT_FOUND', `There is no incident #${named}.`);
    return i;
  }
  const open = await ctx.incidents.listOpen(200);
  const here = open.find((i) => i.card?.channel === q.channel);
  if (here) return here;
  if (open.length === 1) return open[0];
  throw new RootgraphError('INPUT_INVALID', 'Which incident? Several are open.', { hint: 'Say "… for incident N".' });
}

/** The candidate entity a person named: a suspect of the incident by name or uid, else a graph entity, else the name. */
async function whichEntity(ctx: AssistantContext, incident: Incident, name: string): Promise<string> {
  const s = incident.suspects.find(
    (x) => x.entity === name || displayName(x.entity).toLowerCase() === name.toLowerCase(),
  );
  if (s) return s.entity;
  try {
    return (await resolveEntity(ctx.graph, name)).node.uid;
  } catch {
    return name;
  }
}

/** "root cause is X for incident N" / "not X": sends the verdict to the FeedbackSink. */
export async function answerFeedback(
  ctx: AssistantContext,
  q: Question,
  f: { verdict: FeedbackInput['verdict']; entity: string; incident?: number },
): Promise<Reply> {
  if (!ctx.feedback) throw new RootgraphError('UNAVAILABLE', 'Feedback is not wired to this assistant.');
  const incident = await whichIncident(ctx, q, f.incident);
  const entity = await whichEntity(ctx, incident, f.entity);
  const result = await ctx.feedback.submit({
    incident: incident.number,
    entity,
    verdict: f.verdict,
    by: q.user,
    source: 'chat',
    at: ctx.now(),
  });
  return {
    title: result.stored ? 'Feedback recorded' : 'Feedback not recorded',
    sections: [{ lines: [result.message] }],
    evidence: [
      { uid: `Incident:${incident.number}`, label: 'Incident', summary: `#${incident.number} ${incident.title}` },
    ],
    actions: [{ label: `Incident #${incident.number}`, command: `incident ${incident.number}` }],
  };
}
