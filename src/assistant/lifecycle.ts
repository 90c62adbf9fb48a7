/**
 * The incident lifecycle people drive from chat and card buttons: acknowledge, assign (to a person or
 * a group), resolve with a note, reopen. Each action is recorded on the incident (IncidentLifecycle:
 * current state plus an append-only history). Pure: the caller stores and publishes.
 */
import { RootgraphError } from '../errors.js';
import type { Assignee, Incident, IncidentLifecycle, LifecycleEvent } from '../incidents/incident.js';
import { mention } from './format.js';
import type { LifecycleAction } from './intents.js';

/** One action as a person asked for it; `at` is ms since epoch. */
export interface LifecycleRequest {
  action: LifecycleAction;
  by: string;
  at: number;
  assignee?: Assignee;
  note?: string;
}

/** What applying an action did: the new incident (a copy) and whether anything changed. */
export interface LifecycleOutcome {
  incident: Incident;
  changed: boolean;
  /** One line for people: "Incident #3 acknowledged by <@U1>." or why nothing changed. */
  message: string;
}

/**
 * Reads who an incident is assigned to from what people type: a Slack user mention (`<@U123>`), a Slack
 * user-group mention (`<!subteam^S123|@sre>`), `me` (the asker), "team X" / "group X" (a group), or a
 * bare `@name` / name (a person).
 */
export function parseAssignee(text: string, asker: string): Assignee {
  const t = text.trim().replace(/[.!]+$/, '');
  const user = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(t);
  if (user) return { id: user[1], kind: 'user' };
  const group = /^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(t);
  if (group) return { id: group[1], kind: 'group' };
  if (/^(me|myself)$/i.test(t)) return { id: asker, kind: 'user' };
  const team = /^(?:the\s+)?(?:team|group)\s+@?(\S+)$|^(?:the\s+)?@?(\S+)\s+(?:team|group)$/i.exec(t);
  if (team) return { id: team[1] ?? team[2], kind: 'group' };
  const name = /^@?([\w.-]+)$/.exec(t);
  if (name) return { id: name[1], kind: 'user' };
  throw new RootgraphError('INPUT_INVALID', `Cannot tell who "${text}" is.`, {
    hint: 'Assign to @name, a Slack mention, "me", or "team <name>".',
  });
}

const fresh = (l: IncidentLifecycle | undefined): IncidentLifecycle => ({ ...l, events: [...(l?.events ?? [])] });

/**
 * Applies one action to an incident and returns the changed copy (the input is not modified). An
 * action that changes nothing (acknowledging twice, resolving a resolved incident) is not recorded.
 * Acknowledging a resolved incident is refused: reopen it first.
 */
export function applyLifecycle(incident: Incident, req: LifecycleRequest): LifecycleOutcome {
  const i: Incident = { ...incident, lifecycle: fresh(incident.lifecycle) };
  const l = i.lifecycle!;
  const n = `#${i.number}`;
  const event: LifecycleEvent = { action: req.action, by: req.by, at: req.at };
  const same = (message: string): LifecycleOutcome => ({ incident, changed: false, message });
  switch (req.action) {
    case 'acknowledge':
      if (i.status === 'resolved')
        throw new RootgraphError('INPUT_INVALID', `Incident ${n} is resolved; there is nothing to acknowledge.`, {
          hint: `Reopen it first ("reopen incident ${i.number}").`,
        });
      if (l.acknowledged) return same(`Incident ${n} was already acknowledged by ${mention(l.acknowledged.by)}.`);
      l.acknowledged = { by: req.by, at: req.at };
      break;
    case 'assign': {
      if (!req.assignee)
        throw new RootgraphError('INPUT_INVALID', 'Assign to whom?', { hint: 'Say "assign to @name".' });
      if (l.assignee?.id === req.assignee.id && l.assignee.kind === req.assignee.kind)
        return same(`Incident ${n} is already assigned to ${mention(req.assignee.id, req.assignee.kind)}.`);
      l.assignee = { ...req.assignee, by: req.by, at: req.at };
      event.assignee = req.assignee;
      break;
    }
    case 'resolve':
      if (i.status === 'resolved') return same(`Incident ${n} is already resolved.`);
      i.status = 'resolved';
      i.resolvedAt = req.at;
      l.resolution = { by: req.by, at: req.at, ...(req.note ? { note: req.note } : {}) };
      if (req.note) event.note = req.note;
      break;
    case 'reopen':
      if (i.status === 'open') return same(`Incident ${n} is open already.`);
      i.status = 'open';
      i.reopenedAt = req.at;
      i.resolvedAt = undefined;
      // A reopened incident needs someone to take it again; who it is assigned to stays.
      l.acknowledged = undefined;
      l.resolution = undefined;
      if (req.note) event.note = req.note;
      break;
  }
  l.events.push(event);
  i.updatedAt = Math.max(i.updatedAt, req.at);
  return { incident: i, changed: true, message: describeEvent(i.number, event) };
}

/** "Incident #3 acknowledged by U1." */
export function describeEvent(number: number, e: LifecycleEvent): string {
  switch (e.action) {
    case 'acknowledge':
      return `Incident #${number} acknowledged by ${mention(e.by)}.`;
    case 'assign':
      return `Incident #${number} assigned to ${e.assignee ? mention(e.assignee.id, e.assignee.kind) : '?'} by ${mention(e.by)}.`;
    case 'resolve':
      return `Incident #${number} resolved by ${mention(e.by)}${e.note ? `: ${e.note}` : '.'}`;
    case 'reopen':
      return `Incident #${number} reopened by ${mention(e.by)}.`;
  }
}
