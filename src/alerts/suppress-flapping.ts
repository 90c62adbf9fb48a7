/**
 * Flap detection in the spirit of Nagios' flap detection (state changes within a recent window)
 * and Alertmanager's `group_interval` hysteresis: an alert that resolves and fires again faster
 * than a period is one flapping alert, not a new problem each time. Recurrence (an alert that keeps
 * coming back within the last hour, flapping or not) marks low-information alerts, the "repeating"
 * and "toggling" alerts of Zhao et al., "Understanding and Handling Alert Storm in Online Service
 * Systems" (ICSE-SEIP 2020): on their own they do not seed an incident others join.
 */
import type { Occurrence } from './alert-event.js';

/** Knobs for flap suppression. */
export const DEFAULTS = {
  /** A re-fire that comes less than this after the previous resolution is a toggle, ms. */
  periodMs: 10 * 60_000,
  /** Quick toggles in a row after which the alert is flapping (1 = the first quick re-fire). */
  minToggles: 2,
  /** An occurrence is recurrent when at least `recurrentMinPrior` earlier ones started within this, ms. */
  recurrentLookbackMs: 60 * 60_000,
  recurrentMinPrior: 1,
} as const;

export type FlapOptions = {
  periodMs: number;
  minToggles: number;
  recurrentLookbackMs: number;
  recurrentMinPrior: number;
};

/**
 * Whether the latest occurrence (occurrences in start order) is recurrent: at least
 * `recurrentMinPrior` earlier occurrences started within `recurrentLookbackMs` before it. Pure.
 */
export function isRecurrent(occurrences: readonly Occurrence[], opts: Partial<FlapOptions> = {}): boolean {
  const { recurrentLookbackMs, recurrentMinPrior } = { ...DEFAULTS, ...opts };
  const n = occurrences.length;
  if (n === 0) return false;
  const since = occurrences[n - 1].startsAt - recurrentLookbackMs;
  let prior = 0;
  for (let i = n - 2; i >= 0 && occurrences[i].startsAt >= since; i--) prior++;
  return prior >= recurrentMinPrior;
}

/**
 * Whether occurrences (in start order) describe a flapping alert: the latest `minToggles`
 * re-fires each came less than `periodMs` after the previous episode ended. A calm gap of at least
 * `periodMs` ends flapping. Pure.
 */
export function isFlapping(occurrences: readonly Occurrence[], opts: Partial<FlapOptions> = {}): boolean {
  const { periodMs, minToggles } = { ...DEFAULTS, ...opts };
  let run = 0;
  for (let i = occurrences.length - 1; i >= 1 && run < minToggles; i--) {
    const prevEnd = occurrences[i - 1].endsAt ?? occurrences[i].startsAt;
    if (occurrences[i].startsAt - prevEnd >= periodMs) break;
    run++;
  }
  return run >= minToggles;
}

/** What to do with a re-fire: pass it on to correlation, or hold it because the alert is flapping. */
export type FlapDecision = 'forward' | 'suppress';

/**
 * Decides a re-fired occurrence's fate. Once flapping, every further quick re-fire is held (the
 * alert stays one flapping alert in its incident); the re-fire that starts flapping is held too,
 * since the alert is already in an incident. Pure.
 */
export function flapDecision(occurrences: readonly Occurrence[], opts: Partial<FlapOptions> = {}): FlapDecision {
  const { periodMs } = { ...DEFAULTS, ...opts };
  if (isFlapping(occurrences, opts)) return 'suppress';
  // A single quick re-fire is held too: the alert's incident is still the right home for it.
  const n = occurrences.length;
  const prevEnd = n >= 2 ? (occurrences[n - 2].endsAt ?? occurrences[n - 1].startsAt) : -Infinity;
  return occurrences[n - 1].startsAt - prevEnd < periodMs ? 'suppress' : 'forward';
}
