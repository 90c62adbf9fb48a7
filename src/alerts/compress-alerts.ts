/**
 * Alert compression, end to end: deduplicate notifications on fingerprint, hold flapping re-fires,
 * correlate the rest into incidents. The three steps are in deduplicate-alerts.ts,
 * suppress-flapping.ts and correlate-alerts.ts; this file only wires them in order.
 */
import type { AlertEvent, TrackedAlert } from './alert-event.js';
import { type AlertGroup, AlertCorrelator, type CorrelatorOptions } from './correlate-alerts.js';
import { type DedupOutcome, type DedupState, dedupAlert, eventTime } from './deduplicate-alerts.js';
import { type FlapOptions, flapDecision, isFlapping, isRecurrent } from './suppress-flapping.js';

/** Options for compression: correlation knobs plus flap suppression's. */
export interface CompressOptions extends CorrelatorOptions {
  flap?: Partial<FlapOptions>;
}

/** Counters of what compression did. */
export interface CompressStats {
  /** Notifications pushed. */
  notifications: number;
  /** Distinct alerts (fingerprints). */
  alerts: number;
  /** Notifications that repeated a known occurrence or resolved one. */
  repeats: number;
  /** Re-fires held as flaps of an alert already in an incident (no new item for anyone to look at). */
  flapsSuppressed: number;
  /** Alerts flagged flapping right now. */
  flapping: number;
  /** Groups posted as incidents (see actionable.ts). */
  incidents: number;
  /** Groups kept as watch items: one warning alone. */
  watchItems: number;
}

/** What one pushed notification did. */
export interface PushResult {
  outcome: DedupOutcome;
  /** The incident the alert is in after this notification (undefined for a resolution seen before any firing). */
  incident: string | undefined;
  suppressed: boolean;
}

/** A streaming alert compressor. Deterministic; holds plain state that grows with distinct alerts. */
export class AlertCompressor {
  readonly correlator: AlertCorrelator;
  private readonly dedup: DedupState = new Map();
  private readonly flapOpts: Partial<FlapOptions>;
  private counts = { notifications: 0, repeats: 0, flapsSuppressed: 0 };

  constructor(opts: CompressOptions = {}) {
    this.correlator = new AlertCorrelator(opts);
    this.flapOpts = opts.flap ?? {};
  }

  /** Replaces the topology the correlator measures distance on. */
  setTopology(topology: NonNullable<CompressOptions['topology']>): void {
    this.correlator.setTopology(topology);
  }

  /** Folds one notification in; repeats and resolutions only update the alert, flapping re-fires stay in their incident. */
  push(ev: AlertEvent): PushResult {
    this.counts.notifications++;
    const { alert, outcome } = dedupAlert(this.dedup, ev);
    alert.flapping = isFlapping(alert.occurrences, this.flapOpts);
    let suppressed = false;
    if (outcome === 'new') {
      this.correlator.add({ ...alert, startsAt: ev.startsAt, recurrent: false, heardAt: eventTime(ev) });
    } else if (outcome === 'refired') {
      suppressed = flapDecision(alert.occurrences, this.flapOpts) === 'suppress';
      if (suppressed) this.counts.flapsSuppressed++;
      // The correlator keeps a re-fire in its still-active incident and correlates it afresh after a calm spell.
      this.correlator.add({
        ...alert,
        startsAt: ev.startsAt,
        recurrent: isRecurrent(alert.occurrences, this.flapOpts),
        heardAt: eventTime(ev),
      });
    }
    // Resolutions count on the alert's own clock (when it ended), not when the notification came.
    const endedAt = ev.endsAt ?? eventTime(ev);
    if (outcome === 'new' || outcome === 'refired') {
      // An episode first heard of as resolved (a missed firing) is grouped but keeps nothing ongoing.
      if (ev.status === 'resolved') this.correlator.resolve(ev.fingerprint, endedAt);
    } else {
      this.counts.repeats++;
      // A resolution of the latest episode ends its part in keeping the incident ongoing; a repeat only moves the clock.
      if (outcome === 'resolved' && alert.status === 'resolved') this.correlator.resolve(ev.fingerprint, endedAt);
      else this.correlator.tick(eventTime(ev));
    }
    return { outcome, incident: this.correlator.incidentOf(ev.fingerprint), suppressed };
  }

  /** Moves the clock to `now` (watch items that kept firing long enough become incidents; see `takePromoted`). */
  tick(now: number): void {
    this.correlator.tick(now);
  }

  /** Ids of watch items that became incidents by time alone, not yet acknowledged (see AlertCorrelator.pendingPromoted). */
  pendingPromoted(): string[] {
    return this.correlator.pendingPromoted();
  }

  /** Marks promotions as posted. */
  ackPromoted(ids: readonly string[]): void {
    this.correlator.ackPromoted(ids);
  }

  /** One deduplicated alert, or undefined. */
  alert(fingerprint: string): TrackedAlert | undefined {
    return this.dedup.get(fingerprint);
  }

  /** One incident (see AlertCorrelator.incident). */
  incident(id: string): AlertGroup | undefined {
    return this.correlator.incident(id);
  }

  /** Forgets incidents quiet since `before` and their alerts (see AlertCorrelator.forget); returns the incident ids. */
  forget(before: number): string[] {
    const { incidents, fingerprints } = this.correlator.forget(before);
    for (const fp of fingerprints) this.dedup.delete(fp);
    return incidents;
  }

  /** The deduplicated alerts, in first-seen order. */
  alerts(): TrackedAlert[] {
    return [...this.dedup.values()];
  }

  /** Current incidents (see AlertCorrelator.incidents). */
  incidents(): AlertGroup[] {
    return this.correlator.incidents();
  }

  stats(): CompressStats {
    let flapping = 0;
    for (const a of this.dedup.values()) if (a.flapping) flapping++;
    const groups = this.incidents();
    const incidents = groups.filter((g) => g.actionable).length;
    return { ...this.counts, alerts: this.dedup.size, flapping, incidents, watchItems: groups.length - incidents };
  }
}

/**
 * Compresses a batch of notifications (sorted by time first, stably) into incidents. Pure:
 * the same events and options give the same result.
 */
export function compressAlerts(
  events: readonly AlertEvent[],
  opts: CompressOptions = {},
): {
  incidents: AlertGroup[];
  alerts: TrackedAlert[];
  stats: CompressStats;
} {
  const c = new AlertCompressor(opts);
  const order = events.map((e, i) => [e, i] as const).sort(([a, i], [b, j]) => at(a) - at(b) || i - j);
  for (const [e] of order) c.push(e);
  return { incidents: c.incidents(), alerts: c.alerts(), stats: c.stats() };
}

/** A notification's place in time: when received, else when it resolved or started. */
const at = (e: AlertEvent) => e.receivedAt ?? (e.status === 'resolved' && e.endsAt !== null ? e.endsAt : e.startsAt);
