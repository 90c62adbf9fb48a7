/**
 * A group of correlated alerts: the plain record callers see (`AlertGroup`), the correlator's
 * working record with its indexes (`AlertGroupState`), and the operations on one group. A group is
 * an incident to post or a watch item (actionable.ts); the incident record itself is
 * src/incidents/incident.ts, which the flow opens for a group (src/flow/compress-job.ts).
 */
import type { Uid } from '../model/graph.js';
import type { AlertSignature } from './alert-similarity.js';

/** What the correlator needs of an alert. */
export interface CorrelatedAlert {
  fingerprint: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  entity: Uid | null;
  /** Start of the occurrence being correlated, ms. */
  startsAt: number;
  /**
   * This occurrence keeps coming back (see `isRecurrent` in suppress-flapping.ts): a low-information
   * alert. It joins no new group (it goes back to its own item unless a storm starting with it
   * adopts it), and alone in a group it makes the group weak — one no new alert joins — so a
   * chronic flapper cannot seed a fault's storm. Default false.
   */
  recurrent?: boolean;
  /** When the notification arrived, ms: the correlator's clock never runs ahead of it. Default `startsAt`. */
  heardAt?: number;
}

/** An alert with its name-and-labels signature, as the correlator keeps it. */
export type SignedAlert = CorrelatedAlert & { sig: AlertSignature };

/** A group of correlated alerts as callers see it: plain data. */
export interface AlertGroup {
  id: string;
  /** Alert fingerprints in the order they joined. */
  fingerprints: string[];
  /** The firing episodes grouped here, as `fingerprint@startsAt` (ms), in the order they joined. */
  episodes: string[];
  /** Entities the alerts fired on, most alerts first. */
  entities: Uid[];
  /** Distinct alert names, most frequent first. */
  names: string[];
  /** Earliest alert start, ms. */
  firstStart: number;
  /** Latest alert start or re-fire, ms. */
  lastActivity: number;
  /** A group to post as an incident (true) or a watch item: one alert below the escalating severities (see actionable.ts). */
  actionable: boolean;
  /** When it became an incident (the alert start that made it one), or null for a watch item, ms. */
  actionableSince: number | null;
  /**
   * When the problem it shows began, once it is an incident: its earliest episode that was still firing,
   * or had started within the window, when it became one (earlier episodes of a chronic alert are history). Null for a watch item, ms.
   */
  problemStart: number | null;
}

/** Signatures kept per group for text similarity; beyond this only new names are added. */
const MAX_SIGNATURES = 32;

/** The correlator's working record of a group (indexes for scoring). */
export interface AlertGroupState {
  id: string;
  fingerprints: string[];
  episodes: Set<string>;
  members: Set<string>;
  entities: Map<Uid, number>;
  /** The deepest entities: members no other member's entity is depended on by (where the fault likely sits). */
  roots: Set<Uid>;
  names: Map<string, number>;
  signatures: AlertSignature[];
  firstStart: number;
  lastActivity: number;
  /**
   * Members whose latest episode has not resolved: while any has (and started recently), the group is
   * ongoing. Written only by AlertRegistry, which keeps it to the alerts this group is home to.
   */
  firing: Set<string>;
  /** Members whose severity escalates (see actionable.ts). */
  severe: number;
  /** When it became actionable, or null while it is a watch item (a human correction makes it actionable). */
  actionableSince: number | null;
  /** See `AlertGroup.problemStart`. */
  problemStart: number | null;
  /** When its last firing alert resolved (−∞ while one fires or before any resolved), ms. */
  endedAt: number;
  mergedInto: string | null;
}

/** An empty group. */
export function newGroup(id: string): AlertGroupState {
  return {
    id,
    fingerprints: [],
    episodes: new Set(),
    members: new Set(),
    entities: new Map(),
    roots: new Set(),
    names: new Map(),
    signatures: [],
    firstStart: Infinity,
    lastActivity: -Infinity,
    firing: new Set(),
    severe: 0,
    actionableSince: null,
    problemStart: null,
    endedAt: -Infinity,
    mergedInto: null,
  };
}

/** The key of one firing episode. */
export const episodeKey = (fingerprint: string, startsAt: number): string => `${fingerprint}@${startsAt}`;

/** Adds an alert's episode to a group, and the alert to its members and indexes (once). */
export function addMember(inc: AlertGroupState, a: SignedAlert): void {
  addEpisode(inc, a.fingerprint, a.startsAt);
  addAlert(inc, a);
}

/** Adds one firing episode (the alert must be, or become, a member). */
export function addEpisode(inc: AlertGroupState, fingerprint: string, startsAt: number): void {
  inc.episodes.add(episodeKey(fingerprint, startsAt));
  inc.firstStart = Math.min(inc.firstStart, startsAt);
  inc.lastActivity = Math.max(inc.lastActivity, startsAt);
}

/** Adds an alert to the members and the indexes, without an episode (once). */
export function addAlert(inc: AlertGroupState, a: SignedAlert): void {
  if (inc.members.has(a.fingerprint)) return;
  inc.members.add(a.fingerprint);
  inc.fingerprints.push(a.fingerprint);
  if (a.entity !== null) inc.entities.set(a.entity, (inc.entities.get(a.entity) ?? 0) + 1);
  const newName = !inc.names.has(a.name);
  inc.names.set(a.name, (inc.names.get(a.name) ?? 0) + 1);
  if (newName || inc.signatures.length < MAX_SIGNATURES) inc.signatures.push(a.sig);
}

/** An episode key's parts. */
export function parseEpisode(key: string): { fingerprint: string; startsAt: number } {
  const cut = key.lastIndexOf('@');
  return { fingerprint: key.slice(0, cut), startsAt: Number(key.slice(cut + 1)) };
}

/** Sets first start and latest activity from the episodes (after episodes moved out). */
export function recomputeTimes(inc: AlertGroupState): void {
  inc.firstStart = Infinity;
  inc.lastActivity = -Infinity;
  for (const e of inc.episodes) {
    const { startsAt } = parseEpisode(e);
    inc.firstStart = Math.min(inc.firstStart, startsAt);
    inc.lastActivity = Math.max(inc.lastActivity, startsAt);
  }
}

/** Empties a group's members and indexes (episodes, times and status stay). */
export function clearMembers(inc: AlertGroupState): void {
  inc.fingerprints = [];
  inc.members.clear();
  inc.entities.clear();
  inc.roots.clear();
  inc.names.clear();
  inc.signatures = [];
  inc.severe = 0;
}

const byCount = (m: Map<string, number>) =>
  [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);

/** The plain record of a group. Pure. */
export function toAlertGroup(inc: AlertGroupState): AlertGroup {
  return {
    id: inc.id,
    fingerprints: [...inc.fingerprints],
    episodes: [...inc.episodes],
    entities: byCount(inc.entities),
    names: byCount(inc.names),
    firstStart: inc.firstStart,
    lastActivity: inc.lastActivity,
    actionable: inc.actionableSince !== null,
    actionableSince: inc.actionableSince,
    problemStart: inc.problemStart,
  };
}
