import { RootgraphError } from '../../errors.js';
import type { FeedbackInput } from '../../incidents/feedback.js';
import { incidentUid, type Incident } from '../../incidents/incident.js';
import type { AssistantContext } from '../context.js';
import { fuzzyMatches } from '../fuzzy.js';
import type { Question, Reply } from '../reply.js';
import { displayName, notFound, resolveEntity, UnknownEntityError } from '../resolve-entity.js';

/**
 * The entity a verdict names, exactly: a suspect or entity of the incident (by name or uid), else a
 * graph entity by its exact name. Feedback teaches the ranking, so nothing is guessed: an unknown or
 * misspelt name is refused with the closest names as suggestions (the incident's suspects first).
 */
export async function verdictEntity(ctx: AssistantContext, incident: Incident, name: string): Promise<string> {
  const known = [...incident.suspects.map((s) => s.entity), ...incident.entities];
  const lower = name.toLowerCase();
  const hit = known.find((e) => e === name || displayName(e).toLowerCase() === lower);
  if (hit) return hit;
  try {
    return (await resolveEntity(ctx.graph, name, { strict: true })).node.uid;
  } catch (err) {
    const fromIncident = fuzzyMatches(name, known.map(displayName), 3).map((m) => m.name);
    const fromGraph = err instanceof UnknownEntityError ? err.suggestions : [];
    const suggestions = [...new Set([...fromIncident, ...fromGraph])].slice(0, 3);
    const top = incident.suspects.slice().sort((a, b) => a.rank - b.rank)[0];
    throw notFound(name, suggestions.length > 0 ? suggestions : top ? [displayName(top.entity)] : [], true);
  }
}

/** "root cause is X for incident N" / "not X": checks X, then sends the verdict to the FeedbackSink. */
export async function answerFeedback(
  ctx: AssistantContext,
  q: Question,
  incident: Incident,
  f: { verdict: FeedbackInput['verdict']; entity: string },
): Promise<Reply> {
  if (!ctx.feedback) throw new RootgraphError('UNAVAILABLE', 'Feedback is not wired to this assistant.');
  const entity = await verdictEntity(ctx, incident, f.entity);
  const result = await ctx.feedback.submit({
    incident: incident.number,
    entity,
    verdict: f.verdict,
    by: q.user,
    source: 'chat',
    at: ctx.now(),
  });
  const suspect = incident.suspects.find((s) => s.entity === entity);
  return {
    title: result.stored ? 'Feedback recorded' : 'Feedback not recorded',
    sections: [
      {
        lines: [
          result.message,
          suspect
            ? `\`${displayName(entity)}\` is ranked ${suspect.rank} of ${incident.suspects.length} (score ${suspect.score.toFixed(2)}); the ranking learns from this verdict.`
            : `\`${displayName(entity)}\` was not among the ranked suspects; the ranking learns from this verdict.`,
        ],
      },
    ],
    evidence: [
      { uid: incidentUid(incident.number), label: 'Incident', summary: `#${incident.number} ${incident.title}` },
    ],
    actions: [{ label: `Incident #${incident.number}`, command: `incident ${incident.number}` }],
    about: { incident: incident.number, entity },
  };
}
