/**
 * Adaptive threshold for anomaly scores: pick τ maximising
 * d(S<τ, S>τ) = (min(S>τ) − max(S<τ)) / (min(S>τ) + max(S<τ) − 2·min(S<τ)).
 * Reference: the TopoMAD threshold rule (Z. He, P. Chen et al., "A Spatiotemporal Deep Learning
 * Approach for Unsupervised Anomaly Detection in Cloud Systems", IEEE TNNLS 2021).
 * d is scale-free: the gap between the groups relative to the spread of the whole lower group.
 */

/** Knobs of the threshold rule. */
export const DEFAULTS = {
  /**
   * Smallest share of scores that must lie below τ. Without it d is trivially 1 when S<τ is the
   * single minimum; anomalies are the minority, so by default at least half the scores are normal.
   */
  minLowerFraction: 0.5,
  /** Below this best separation nothing is flagged (τ = +∞): the scores show no distinct upper group. */
  minSeparation: 0,
};

/** The chosen threshold: τ halfway between the groups, the separation d, and how many scores lie above. */
export interface ThresholdChoice {
  tau: number;
  separation: number;
  above: number;
}

/**
 * Chooses τ over `scores` (non-finite values ignored). Pure; O(n log n).
 * Returns τ = +∞ (nothing above) when fewer than two distinct scores exist or d < minSeparation.
 */
export function chooseThreshold(scores: ArrayLike<number>, opts: Partial<typeof DEFAULTS> = {}): ThresholdChoice {
  const o = { ...DEFAULTS, ...opts };
  const s = Float64Array.from(Array.from(scores).filter((v) => Number.isFinite(v))).sort();
  const n = s.length;
  const none: ThresholdChoice = { tau: Infinity, separation: 0, above: 0 };
  if (n < 2) return none;
  const lo = s[0];
  const kMin = Math.max(1, Math.ceil(o.minLowerFraction * n));
  let best = none;
  // Split after index k−1: lower = s[0..k−1], upper = s[k..n−1]; only splits between distinct values count.
  for (let k = kMin; k < n; k++) {
    const a = s[k - 1];
    const b = s[k];
    if (!(b > a)) continue;
    const d = (b - a) / (b + a - 2 * lo);
    if (d > best.separation) best = { tau: (a + b) / 2, separation: d, above: n - k };
  }
  return best.separation >= o.minSeparation && best.separation > 0 ? best : none;
}
