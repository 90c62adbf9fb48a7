import type { Incident } from '../../src/incidents/incident.js';

/** The action ids of the card's interactive elements; handlers match on these. */
export const ACTIONS = {
  rootCause: 'rg_root_cause',
  notThis: 'rg_not_this',
  nameRootCause: 'rg_name_root_cause',
  merge: 'rg_merge_into',
  split: 'rg_split_alerts',
  /** A follow-up button: its value is the question to ask. */
  ask: 'rg_ask',
  /** The top suspect's overflow menu: confirm, reject, why, logs. */
  topMenu: 'rg_top_menu',
  /** The "other suspects" menu: shows the picked suspect's evidence with its buttons in the thread. */
  pickSuspect: 'rg_pick_suspect',
  acknowledge: 'rg_ack',
  assign: 'rg_assign',
  /** Opens the resolve dialog (a note is optional). */
  resolve: 'rg_resolve',
  reopen: 'rg_reopen',
  /** The resolve dialog's callback id. */
  resolveDialog: 'rg_resolve_dialog',
} as const;

/**
 * Encodes (incident, candidate) into an element value within `max` characters: `N|entity`, or
 * `N#rank@revision` when the entity is too long (the handler then looks the candidate up).
 */
export function encodeCandidate(incident: Incident, entity: string, max: number): string {
  const direct = `${incident.number}|${entity}`;
  if (direct.length <= max) return direct;
  const rank = incident.suspects.find((s) => s.entity === entity)?.rank ?? 0;
  return `${incident.number}#${rank}@${incident.diagnosedRevision ?? incident.revision}`;
}

/** A decoded candidate reference: the incident and either the entity or the rank to look up. */
export type CandidateRef = { incident: number; entity: string } | { incident: number; rank: number };

/** Decodes `encodeCandidate`'s value; undefined when malformed. */
export function decodeCandidate(value: string): CandidateRef | undefined {
  const direct = /^(\d+)\|(.+)$/s.exec(value);
  if (direct) return { incident: Number(direct[1]), entity: direct[2] };
  const ranked = /^(\d+)#(\d+)@\d+$/.exec(value);
  return ranked ? { incident: Number(ranked[1]), rank: Number(ranked[2]) } : undefined;
}

/** The entity a reference names, given the incident as it is now. */
export function candidateEntity(ref: CandidateRef, incident: Incident): string | undefined {
  if ('entity' in ref) return ref.entity;
  return incident.suspects.find((s) => s.rank === ref.rank)?.entity;
}
