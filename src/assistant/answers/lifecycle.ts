import { userMessage } from '../../errors.js';
import { incidentUid, type Incident } from '../../incidents/incident.js';
import type { AssistantContext } from '../context.js';
import type { LifecycleAction } from '../intents.js';
import { applyLifecycle, parseAssignee } from '../lifecycle.js';
import type { Reply } from '../reply.js';

/** A lifecycle action as chat or a button asks for it. */
export interface LifecycleAsk {
  action: LifecycleAction;
  /** Who asked (Slack user id, console user). */
  by: string;
  /** As typed: `<@U123>`, `@bob`, `team sre`, `me`. */
  assignee?: string;
  note?: string;
}

/**
 * Acknowledge, assign, resolve or reopen an incident: records the action on the Incident in the graph,
 * then republishes its card through the notifier (Slack edits the card in place; PagerDuty, when
 * configured, is told too). Returns what was done, or why nothing was.
 */
export async function answerLifecycle(ctx: AssistantContext, incident: Incident, ask: LifecycleAsk): Promise<Reply> {
  const outcome = applyLifecycle(incident, {
    action: ask.action,
    by: ask.by,
    at: ctx.now(),
    ...(ask.assignee ? { assignee: parseAssignee(ask.assignee, ask.by) } : {}),
    ...(ask.note ? { note: ask.note } : {}),
  });
  let note: string | undefined;
  if (outcome.changed) {
    await ctx.incidents.save(outcome.incident);
    const saved = (await ctx.incidents.get(incident.number)) ?? outcome.incident;
    if (ctx.notifier) {
      try {
        const card = await ctx.notifier.publish(saved);
        if (card && !saved.card) {
          saved.card = card;
          await ctx.incidents.save(saved);
        }
      } catch (err) {
        note = `Recorded, but the card could not be updated: ${userMessage(err)}`;
      }
    }
  }
  return {
    title: outcome.message,
    sections: [],
    evidence: [
      { uid: incidentUid(incident.number), label: 'Incident', summary: `#${incident.number} ${incident.title}` },
    ],
    actions:
      ask.action === 'resolve' && outcome.changed
        ? [{ label: 'Reopen', command: `reopen incident ${incident.number}` }]
        : [{ label: `Incident #${incident.number}`, command: `incident ${incident.number}` }],
    ...(note ? { note } : {}),
    about: { incident: incident.number },
  };
}
