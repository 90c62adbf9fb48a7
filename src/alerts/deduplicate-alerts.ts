/**
 * Alert deduplication on fingerprint, as Alertmanager's alert store does it (prometheus/alertmanager
 * `provider/mem`, `types.Alert.Merge`): notifications with the same fingerprint and start are one
 * alert; a new start after a resolution is a new occurrence of the same alert, not a new alert.
 */
import type { AlertEvent, TrackedAlert } from './alert-event.js';

/** What a notification did to the deduplicated state. */
export type DedupOutcome = 'new' | 'repeat' | 'resolved' | 'refired';

/** Deduplicated alerts by fingerprint; plain data, owned by the caller. */
export type DedupState = Map<string, TrackedAlert>;

/** The time a notification speaks for: when received, else when it resolved, else when it started. */
export function eventTime(ev: AlertEvent): number {
  return ev.receivedAt ?? (ev.status === 'resolved' && ev.endsAt !== null ? ev.endsAt : ev.startsAt);
}

function create(ev: AlertEvent): TrackedAlert {
  return {
    fingerprint: ev.fingerprint,
    name: ev.name,
    labels: ev.labels,
    entity: ev.entity,
    status: ev.status,
    firstSeen: ev.startsAt,
    lastSeen: eventTime(ev),
    notifications: 1,
    occurrences: [{ startsAt: ev.startsAt, endsAt: ev.status === 'resolved' ? (ev.endsAt ?? ev.startsAt) : null }],
    flapping: false,
  };
}

/**
 * Folds one notification into `state` (mutated in place) and says what it was: a `new` alert, a
 * `repeat` of a known occurrence, the `resolved` end of one, or a `refired` new occurrence.
 * A firing notification with a later start while the previous occurrence is still open closes that
 * occurrence at the new start (the resolution was missed). Order-tolerant: a late notification for
 * an older occurrence is inserted in place and counts as a repeat. Deterministic.
 */
export function dedupAlert(state: DedupState, ev: AlertEvent): { alert: TrackedAlert; outcome: DedupOutcome } {
  const known = state.get(ev.fingerprint);
  if (!known) {
    const alert = create(ev);
    state.set(ev.fingerprint, alert);
    return { alert, outcome: 'new' };
  }
  known.notifications += 1;
  known.lastSeen = Math.max(known.lastSeen, eventTime(ev));
  const occ = known.occurrences;
  const last = occ[occ.length - 1];
  // Scan from the end: repeats almost always concern the latest occurrence.
  for (let i = occ.length - 1; i >= 0; i--) {
    if (occ[i].startsAt !== ev.startsAt) continue;
    if (ev.status === 'resolved' && occ[i].endsAt === null) {
      occ[i].endsAt = ev.endsAt ?? eventTime(ev);
      if (i === occ.length - 1) known.status = 'resolved';
      return { alert: known, outcome: 'resolved' };
    }
    return { alert: known, outcome: 'repeat' };
  }
  const endsAt = ev.status === 'resolved' ? (ev.endsAt ?? ev.startsAt) : null;
  if (ev.startsAt < last.startsAt) {
    const at = occ.findIndex((o) => o.startsAt > ev.startsAt);
    occ.splice(at, 0, { startsAt: ev.startsAt, endsAt });
    known.firstSeen = Math.min(known.firstSeen, ev.startsAt);
    return { alert: known, outcome: 'repeat' };
  }
  if (last.endsAt === null) last.endsAt = ev.startsAt;
  occ.push({ startsAt: ev.startsAt, endsAt });
  known.status = ev.status;
  return { alert: known, outcome: 'refired' };
}
