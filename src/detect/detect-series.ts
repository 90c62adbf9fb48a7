/**
 * Runs one cheap streaming detector over every series of a system in replay order and turns its
 * alarms into anomalies and incidents. Two paths feed the incident rule: an SLI alarms (one-sided,
 * sli.ts), or alarms spread over neighbouring entities of the topology (spread.ts). Pure (plain
 * arrays in, records out).
 */
import type { AnomalyRecord } from './anomaly.js';
import { createEwma } from './ewma.js';
import { alarmsToEvents } from './events.js';
import { declareIncidents, ruleFor, type DeclaredIncident } from './incident-rule.js';
import { medianStepS, type ReplayPlan } from './plan.js';
import { createRobustZ } from './robust-z.js';
import { isSliMetric } from '../model/metric-semantics.js';
import { sideOf } from './sli.js';
import { createSpot } from './spot.js';
import { spreadAlarms } from './spread.js';
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

/**
 * Sensitivity of a detector on one kind of series: robust-z/EWMA alarm above `z` σ; SPOT/DSPOT at
 * the risk that makes `perDay` alarms a day on normal data (q = perDay · step / 86 400 s), so one
 * setting means the same at 30-second and at 5-minute resolution.
 */
export interface Sensitivity {
  z: number;
  perDay: number;
}

/**
 * Knobs for the system-level run, fitted on PetShop's train split and the simulator (a grid over the
 * sensitivities and minEntities; z on EWMA, perDay on DSPOT; see BENCHMARKS.md).
 */
export const DEFAULTS = {
  /** SPOT/DSPOT calibration: at most this many points, and at most half the history. */
  spotInit: 200,
  spotLevel: 0.95,
  /** DSPOT's drift window. */
  depth: 10,
  /** SLIs page on their own, so they are judged more sensitively … */
  sli: { z: 5, perDay: 1 } as Sensitivity,
  /** … than the other series, which only count when alarms spread. */
  other: { z: 12, perDay: 0.03 } as Sensitivity,
  /** Smallest connected group of alarmed entities that counts as spreading. */
  minEntities: 3,
  /** Alarm runs separated by at most this many quiet steps are one anomaly. */
  mergeGap: 1,
};

export type SeriesOptions = typeof DEFAULTS;

/**
 * Per-detector outcome: anomalies per series, per-step alarms (replay order) of each path and of
 * their union, and the incidents the rule declares from the union.
 */
export interface DetectorRun {
  detector: string;
  anomalies: AnomalyRecord[];
  /**
   * Alarms per path. Cheap detectors: `sli` (an SLI of the entry, or of any entity when no entry is
   * known) and `spread` (alarmed entities connected along the topology). The VAE: `system` and `spread`.
   */
  parts: Record<string, Uint8Array>;
  /** The union of the parts: what the incident rule reads. */
  alarms: Uint8Array;
  incidents: DeclaredIncident[];
}

/** Makes a fresh detector by name for one series at `stepS` resolution, with calibration sized for `history` points. */
export function makeDetector(
  name: StatDetector,
  history: number,
  series: { metric: string; sli: boolean; stepS: number },
  o: SeriesOptions = DEFAULTS,
): StreamingDetector {
  const nInit = Math.max(20, Math.min(o.spotInit, Math.floor(history / 2)));
  const side = sideOf(series.metric);
  const sens = series.sli ? o.sli : o.other;
  const s = { z: sens.z, q: Math.min(0.2, (sens.perDay * series.stepS) / 86_400) };
  switch (name) {
    case 'robust-z':
      return createRobustZ({ side, threshold: s.z });
    case 'ewma':
      return createEwma({ side, threshold: s.z });
    case 'spot':
      return createSpot({ side, nInit, level: o.spotLevel, q: s.q });
    case 'dspot':
      return createSpot({ side, nInit, level: o.spotLevel, q: s.q, depth: o.depth });
  }
}

/** True for SLI series of the entry entities (or of every entity when no entry is known). */
export function isSlo(s: { entity: string; metric: string }, entry: string | readonly string[] | undefined): boolean {
  const at = entry === undefined || (typeof entry === 'string' ? s.entity === entry : entry.includes(s.entity));
  return at && isSliMetric(s.metric);
}

/** Runs each statistical detector named in `detectors` (others, such as the VAE, are skipped) on one input. */
export function runStatDetectors(
  detectors: readonly string[],
  input: Omit<Parameters<typeof runStatDetector>[0], 'detector'>,
): Map<string, DetectorRun> {
  const runs = new Map<string, DetectorRun>();
  for (const d of detectors)
    if ((STAT_DETECTORS as readonly string[]).includes(d))
      runs.set(d, runStatDetector({ ...input, detector: d as StatDetector }));
  return runs;
}

/**
 * Runs `detector` over all series in `plan.order`, telling it where the stream jumps (`plan.breaks`).
 * Alarms during history count as anomalies too (they are the false alarms of normal operation).
 */
export function runStatDetector(opts: {
  detector: StatDetector;
  series: readonly SeriesInput[];
  timestamps: Float64Array;
  plan: ReplayPlan;
  /** Where users meet the system: its SLIs page on their own. Every entity when omitted. */
  entry?: string | readonly string[];
  edges?: ReadonlyArray<readonly [string, string]>;
  options?: Partial<SeriesOptions>;
  incident?: Partial<{ k: number; m: number; quiet: number }>;
}): DetectorRun {
  const o = { ...DEFAULTS, ...opts.options };
  const { detector, series, timestamps, plan } = opts;
  const len = plan.order.length;
  const breaks = new Set(plan.breaks);
  const stepS = medianStepS(timestamps);
  const sliAlarms = new Uint8Array(len);
  const byEntity = new Map<string, Uint8Array>();
  const anomalies: AnomalyRecord[] = [];
  const alarms = new Uint8Array(len);
  const scores = new Float64Array(len);
  for (const s of series) {
    const sli = isSlo(s, opts.entry);
    const d = makeDetector(detector, plan.history, { metric: s.metric, sli, stepS }, o);
    for (let j = 0; j < len; j++) {
      if (breaks.has(j)) d.gap();
      const v = d.step(s.values[plan.order[j]]);
      alarms[j] = v.alarm ? 1 : 0;
      scores[j] = v.score;
    }
    // An SLI alarm pages by itself; every other series counts towards spreading.
    const target = sli
      ? sliAlarms
      : (byEntity.get(s.entity) ?? byEntity.set(s.entity, new Uint8Array(len)).get(s.entity)!);
    for (let j = 0; j < len; j++) target[j] |= alarms[j];
    for (const ev of alarmsToEvents(alarms, o.mergeGap)) {
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
    }
  }
  const spread = spreadAlarms(byEntity, opts.edges ?? [], len, { minEntities: o.minEntities });
  const any = sliAlarms.map((a, j) => a | spread[j]);
  return {
    detector,
    anomalies,
    parts: { sli: sliAlarms, spread },
    alarms: any,
    incidents: declareIncidents(any, { ...ruleFor(stepS), ...opts.incident, breaks: plan.breaks }),
  };
}
