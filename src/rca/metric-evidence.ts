/**
 * Robust anomaly magnitude per metric and per entity, after BARO (Pham, Ha, Zhang, "BARO: Robust
 * Root Cause Analysis for Microservices via Multivariate Bayesian Online Change Point Detection",
 * FSE 2024): scale each series by its normal median and IQR (sklearn RobustScaler semantics) and
 * take the largest |scaled value| in the incident window. N-Sigma (mean/std) is available as a mode.
 * Unlike RobustScaler, a near-constant baseline does not divide by its rounding noise: the scale has a
 * floor relative to the series' magnitude and its resolution (see `baseline`).
 */
import { harmfulMagnitude, metricSemantics } from '../model/metric-semantics.js';
import { kthSmallest, mean, pick, quantileSorted } from './robust.js';
import type { WindowSplit } from './windows.js';

export const DEFAULTS = {
  /** 'iqr' = BARO (median/IQR), 'mad' = median/MAD·1.4826, 'nsigma' = mean/std. */
  scale: 'iqr' as 'iqr' | 'mad' | 'nsigma',
  /** Series with fewer normal samples than this carry no evidence (too little baseline). */
  minNormal: 5,
  /** Spreads below this share of the series' level are rounding, not variation. */
  relTolerance: 1e-9,
  /** The scale is at least this share of the normal level: a 1 % move of a flat series is z ≤ 1. */
  relFloor: 0.01,
  /** A move counts from its this-many-th largest window sample (2: a single-sample blip is no fault). */
  persistence: 2,
};

/** A series as the algorithms see it. */
export interface SeriesIn {
  entity: string;
  metric: string;
  values: Float64Array;
}

/** How far one metric moved from its normal range. */
export interface MetricMove {
  metric: string;
  /** Robust z: (peak − centre) / scale, signed; |z| is the magnitude. */
  z: number;
  /** Normal centre (median, or mean for nsigma). */
  normal: number;
  /** The window value furthest from normal in the harmful direction (metric-semantics.ts). */
  peak: number;
  /**
   * Evidence size: how far the window's sustained harmful move (latency up, availability down; see
   * sustainedExcess) went beyond the largest one of normal operation, in robust z units.
   */
  harm: number;
  /** The entity the series measures when it is not its candidate's own (a callee, for CALL_SHARE_METRIC). */
  of?: string;
  /** The caller that calls this entity less: a fall in its load that is the caller's doing (call-volume.ts). */
  lessCalledBy?: string;
  /** The callee whose trouble this SLI move echoes, seen by a caller off the alarm's path (off-path.ts). */
  echoOf?: string;
}

/** Per-entity evidence: metric moves sorted by |z| descending, and the weighted score. */
export interface EntityMetricEvidence {
  entity: string;
  /** max_k w_k·harm_k over the entity's metrics (0 without usable metrics). */
  score: number;
  moves: MetricMove[];
}

/**
 * Scores every series, then every entity as its largest weighted move. `weights` maps metric type →
 * w_k (missing = 1). Pure. Returns a map entity → evidence (entities without usable series are absent).
 */
export function scoreMetrics(
  series: readonly SeriesIn[],
  split: WindowSplit,
  weights: Readonly<Record<string, number>> = {},
  opts: Partial<typeof DEFAULTS> = {},
): Map<string, EntityMetricEvidence> {
  const o = { ...DEFAULTS, ...opts };
  const out = new Map<string, EntityMetricEvidence>();
  for (const s of series) {
    const move = scoreSeries(s, split, o);
    if (!move) continue;
    let ev = out.get(s.entity);
    if (!ev) out.set(s.entity, (ev = { entity: s.entity, score: 0, moves: [] }));
    ev.moves.push(move);
    ev.score = Math.max(ev.score, (weights[s.metric] ?? 1) * move.harm);
  }
  for (const ev of out.values()) ev.moves.sort((a, b) => b.harm - a.harm);
  return out;
}

/** One series' move, or null when it has too little normal data or no sample in the window. */
export function scoreSeries(s: SeriesIn, split: WindowSplit, o: typeof DEFAULTS = DEFAULTS): MetricMove | null {
  const normal = pick(s.values, split.normal);
  if (normal.length < o.minNormal) return null;
  const win = pick(s.values, split.anomalous);
  if (win.length === 0) return null;
  const { centre, scale } = baseline(normal, o.scale, win, o);
  const { direction } = metricSemantics(s.metric);
  let best = 0,
    harm = -1,
    peak = win[0];
  const hs = new Float64Array(win.length);
  for (let i = 0; i < win.length; i++) {
    const z = (win[i] - centre) / scale;
    const h = (hs[i] = harmfulMagnitude(z, direction));
    if (h > harm) {
      harm = h;
      best = z;
      peak = win[i];
    }
  }
  return {
    metric: s.metric,
    z: best,
    normal: centre,
    peak,
    harm: sustainedExcess(hs, normal, centre, scale, direction, o),
  };
}

/**
 * How far the series fell and stayed: the window's `persistence`-th largest fall below normal, in
 * robust z (0 when it did not fall, or with too little data: fewer window samples than `persistence`).
 * Unlike a move's z (one sample's), a single dip is no fall; unlike its harm, normal's own range is not
 * taken off (a load that halves is a fall however spiky). Pure.
 */
export function lastingFall(values: Float64Array, split: WindowSplit, o: typeof DEFAULTS = DEFAULTS): number {
  const normal = pick(values, split.normal);
  const win = pick(values, split.anomalous);
  const k = Math.max(1, o.persistence);
  if (normal.length < o.minNormal || win.length < k) return 0;
  const { centre, scale } = baseline(normal, o.scale, win, o);
  // The k-th largest fall is the fall to the k-th smallest value (`win` is a copy: reordering is fine).
  return Math.max(0, (centre - kthSmallest(win, k - 1)) / scale);
}

/**
 * The evidence a window carries: its `persistence`-th largest harmful move (a fault lasts; one blip
 * does not make one), less the largest harmful move the normal window itself made (a spiky series that
 * reached z = 80 in normal operation is not anomalous at z = 90). Never negative. Pure.
 */
export function sustainedExcess(
  windowHarm: Float64Array,
  normal: Float64Array,
  centre: number,
  scale: number,
  direction: ReturnType<typeof metricSemantics>['direction'],
  o: Pick<typeof DEFAULTS, 'persistence'> = DEFAULTS,
): number {
  // The k-th largest harmful move (k = persistence, tiny): keep the top k in a small descending buffer.
  const k = Math.min(windowHarm.length, Math.max(1, o.persistence));
  const top = new Float64Array(k).fill(-Infinity);
  for (const h of windowHarm) {
    if (h <= top[k - 1]) continue;
    let i = k - 1;
    for (; i > 0 && top[i - 1] < h; i--) top[i] = top[i - 1];
    top[i] = h;
  }
  const sustained = k > 0 && Number.isFinite(top[k - 1]) ? top[k - 1] : 0;
  let envelope = 0;
  for (const v of normal) envelope = Math.max(envelope, harmfulMagnitude((v - centre) / scale, direction));
  return Math.max(0, sustained - envelope);
}

/**
 * Centre and scale of a normal window. The scale is the robust spread, but never below a floor that
 * makes a move mean something at the series' own magnitude and resolution: spreads below
 * `relTolerance`·level are rounding (0.00496 vs 0.004960000000000001) and count as none; the floor is
 * the larger of the metric's resolution (its smallest step between distinct values, over the normal
 * and the incident window, when there are at least three: 1 for a count, 1/60 for a per-second rate of
 * a minute counter; a step below `relFloor` of the value it reaches is two readings of one level, as
 * 0.016665 and 0.016667 for one event a minute, not the resolution) and
 * `relFloor`·level, where level = the largest |value| of the normal window. So a near-constant baseline
 * gives a z in units of the metric's own steps, never 1e17. Exported for tests. Pure.
 */
export function baseline(
  normal: Float64Array,
  mode: 'iqr' | 'mad' | 'nsigma',
  window: Float64Array = new Float64Array(0),
  o: Pick<typeof DEFAULTS, 'relTolerance' | 'relFloor'> = DEFAULTS,
): { centre: number; scale: number } {
  const sorted = Float64Array.from(normal).sort();
  let centre: number, spread: number;
  if (mode === 'nsigma') {
    const m = mean(normal);
    let ss = 0;
    for (const v of normal) ss += (v - m) ** 2;
    centre = m;
    spread = Math.sqrt(ss / Math.max(1, normal.length - 1));
  } else {
    centre = quantileSorted(sorted, 0.5);
    if (mode === 'iqr') spread = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
    else {
      const dev = sorted.map((v) => Math.abs(v - centre)).sort();
      spread = 1.4826 * quantileSorted(dev, 0.5);
    }
  }
  let level = 0;
  for (const v of sorted) level = Math.max(level, Math.abs(v));
  const tol = o.relTolerance * level;
  // A mostly-constant series with occasional excursions (an error rate that is 0 but for a stray error)
  // has no IQR; its spread is then the mean absolute deviation × 1.2533 (Iglewicz & Hoaglin's fallback
  // for the modified z-score), so the excursions normal operation makes set the scale.
  if (!(spread > tol)) {
    let mad = 0;
    for (const v of sorted) mad += Math.abs(v - centre);
    spread = (1.253314 * mad) / Math.max(1, sorted.length);
  }
  // The resolution over normal ∪ window is at most the smallest normal step, so it can only raise the
  // scale when the spread is below that step (or the normal window has too few distinct values).
  let floor = o.relFloor * level;
  const normalStep = resolution(sorted, tol);
  if (normalStep === 0 || !(spread > tol) || spread < normalStep) {
    let all = level;
    for (const v of window) all = Math.max(all, Math.abs(v));
    const values = new Float64Array(sorted.length + window.length);
    values.set(sorted);
    values.set(window, sorted.length);
    values.sort();
    floor = Math.max(floor, resolution(values, o.relTolerance * all, o.relFloor));
  }
  const scale = Math.max(spread > tol ? spread : 0, floor);
  // Only a series that never moves has no scale at all (and then no move to measure).
  return { centre, scale: scale > 0 ? scale : 1 };
}

// The smallest step between distinct values (ignoring steps below `tol`, or below `rel` of the larger
// value: two readings of one level); 0 with fewer than three distinct values, where one step cannot be
// told from a move.
function resolution(sorted: Float64Array, tol: number, rel = 0): number {
  let step = Infinity,
    distinct = 1;
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i] - sorted[i - 1];
    if (d <= Math.max(tol, rel * Math.abs(sorted[i]))) continue;
    distinct++;
    if (d < step) step = d;
  }
  return distinct >= 3 && Number.isFinite(step) ? step : 0;
}
