/**
 * Runs the cheap streaming detectors over every series of a system in replay order, and derives
 * anomalies and SLO incidents from their alarms. Pure (plain arrays in, records out).
 */
import type { AnomalyRecord } from './anomaly.js';
import { createEwma } from './ewma.js';
import { alarmsToEvents } from './events.js';
import { declareIncidents, type DeclaredIncident } from './incident-rule.js';
import type { ReplayPlan } from './plan.js';
import { createRobustZ } from './robust-z.js';
import { createSpot } from './spot.js';
import type { StreamingDetector } from './streaming.js';

/** A metric series of one entity; values aligned with the case's timestamps, NaN = missing. */
export interface SeriesInput {
  entity: string;
  metric: string;
  values: Float64Array;
}

/** The statistical detectors rootgraph runs on every series. */
export const STAT_DETECTORS = ['robust-z', 'ewma', 'spot', 'dspot'] as const;
export type StatDetector = (typeof STAT_DETECTORS)[number];

/** Knobs for the case-level run. */
export const DEFAULTS = {
  /** Metrics whose names match are SLIs (service-level indicators). */
  sliPattern: /latency|availability|error|fail|duration|response|p9\d/i,
  /** SPOT/DSPOT calibration: at most this many points, and at most half the history. */
  spotInit: 200,
  spotLevel: 0.95,
  spotQ: 1e-3,
  /** Alarm runs separated by at most this many quiet steps are one anomaly. */
  mergeGap: 1,
};

/** Per-detector outcome: alarms per series (by original row), SLO alarm vector (stream order), incidents. */
export interface DetectorRun {
  detector: string;
  anomalies: AnomalyRecord[];
  /** 1 where any SLO series alarmed, indexed by position in the replay order. */
  sloAlarms: Uint8Array;
  incidents: DeclaredIncident[];
}

/** Makes a fresh detector by name, with calibration sized for `history` points. */
export function makeDetector(name: StatDetector, history: number, o: typeof DEFAULTS = DEFAULTS): StreamingDetector {
  const nInit = Math.max(20, Math.min(o.spotInit, Math.floor(history / 2)));
  switch (name) {
    case 'robust-z':
      return createRobustZ();
    case 'ewma':
      return createEwma();
    case 'spot':
      return createSpot({ side: 'both', nInit, level: o.spotLevel, q: o.spotQ });
    case 'dspot':
      return createSpot({ side: 'both', nInit, level: o.spotLevel, q: o.spotQ, depth: 10 });
  }
}

/** True for SLI series of the entry entity (or of every entity when no entry is known). */
export function isSlo(s: SeriesInput, entry: string | undefined, o: typeof DEFAULTS = DEFAULTS): boolean {
  return (entry === undefined || s.entity === entry) && o.sliPattern.test(s.metric);
}

/**
 * Runs `detector` over all series in `plan.order`. Alarms during history count as anomalies too
 * (they are the false alarms of normal operation). Timestamps label the anomaly windows.
 */
export function runStatDetector(opts: {
  detector: StatDetector;
  series: readonly SeriesInput[];
  timestamps: Float64Array;
  plan: ReplayPlan;
  entry?: string;
  incident?: Partial<{ k: number; m: number; quiet: number }>;
}): DetectorRun {
  const { detector, series, timestamps, plan } = opts;
  const len = plan.order.length;
  const sloAlarms = new Uint8Array(len);
  const anomalies: AnomalyRecord[] = [];
  const alarms = new Uint8Array(len);
  const scores = new Float64Array(len);
  for (const s of series) {
    const d = makeDetector(detector, plan.history);
    alarms.fill(0);
    for (let j = 0; j < len; j++) {
      const v = d.step(s.values[plan.order[j]]);
      alarms[j] = v.alarm ? 1 : 0;
      scores[j] = v.score;
    }
    const slo = isSlo(s, opts.entry);
    for (const ev of alarmsToEvents(alarms, DEFAULTS.mergeGap)) {
      let score = 0;
      for (let j = ev.start; j <= ev.end; j++) score = Math.max(score, scores[j]);
      anomalies.push({
        entity: s.entity,
        metric: s.metric,
        start: timestamps[plan.order[ev.start]],
        end: timestamps[plan.order[ev.end]],
        score,
        detector,
      });
      if (slo) for (let j = ev.start; j <= ev.end; j++) sloAlarms[j] |= alarms[j];
    }
  }
  return {
    detector,
    anomalies,
    sloAlarms,
    incidents: declareIncidents(sloAlarms, { ...opts.incident, breaks: opts.plan.breaks }),
  };
}
