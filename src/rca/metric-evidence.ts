/**
 * Robust anomaly magnitude per metric and per entity, after BARO (Pham, Ha, Zhang, "BARO: Robust
 * Root Cause Analysis for Microservices via Multivariate Bayesian Online Change Point Detection",
 * FSE 2024): scale each series by its normal median and IQR (sklearn RobustScaler semantics) and
 * take the largest |scaled value| in the incident window. N-Sigma (mean/std) is available as a mode.
 */
import { harmfulMagnitude, metricSemantics } from './metric-semantics.js';
import { pick, quantileSorted } from './robust.js';
import type { WindowSplit } from './windows.js';

export const DEFAULTS = {
  /** 'iqr' = BARO (median/IQR), 'mad' = median/MAD·1.4826, 'nsigma' = mean/std. */
  scale: 'iqr' as 'iqr' | 'mad' | 'nsigma',
  /** Series with fewer normal samples than this carry no evidence (too little baseline). */
  minNormal: 5,
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
  /** Evidence size: |z| when the move is harmful (latency up, availability down), a small share otherwise. */
  harm: number;
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
  const { centre, scale } = baseline(normal, o.scale);
  const { direction } = metricSemantics(s.metric);
  let best = 0,
    harm = -1,
    peak = win[0];
  for (let i = 0; i < win.length; i++) {
    const z = (win[i] - centre) / scale;
    const h = harmfulMagnitude(z, direction);
    if (h > harm) {
      harm = h;
      best = z;
      peak = win[i];
    }
  }
  return { metric: s.metric, z: best, normal: centre, peak, harm };
}

function baseline(normal: Float64Array, mode: 'iqr' | 'mad' | 'nsigma'): { centre: number; scale: number } {
  if (mode === 'nsigma') {
    let m = 0;
    for (const v of normal) m += v;
    m /= normal.length;
    let ss = 0;
    for (const v of normal) ss += (v - m) ** 2;
    const sd = Math.sqrt(ss / Math.max(1, normal.length - 1));
    return { centre: m, scale: sd > 0 ? sd : 1 };
  }
  const sorted = Float64Array.from(normal).sort();
  const med = quantileSorted(sorted, 0.5);
  let scale: number;
  if (mode === 'iqr') scale = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
  else {
    const dev = sorted.map((v) => Math.abs(v - med)).sort();
    scale = 1.4826 * quantileSorted(dev, 0.5);
  }
  // A constant baseline gives scale 0; RobustScaler then uses 1 so a move is measured in raw units.
  return { centre: med, scale: scale > 0 ? scale : 1 };
}
