/** The shape every streaming single-series detector shares, and a batch runner over it. */

/** What a detector says about one point. `score` is detector-specific; `alarm` is its verdict. */
export interface PointVerdict {
  score: number;
  alarm: boolean;
  /** The threshold the score was compared against (SPOT: the extreme quantile, in data units). */
  threshold: number;
}

/** Which deviations count: above normal (latency, errors), below (availability), or both. */
export type Side = 'upper' | 'lower' | 'both';

/** A stateful detector fed one point at a time, in time order. Deterministic. */
export interface StreamingDetector {
  readonly name: string;
  /** Scores `x`, then learns from it. Non-finite `x` (a missing sample) scores 0 and is skipped. */
  step(x: number): PointVerdict;
  /**
   * The stream jumped in time (an offline case's next segment, data from another day): the level
   * learnt before is stale, so the detector re-anchors its level on the points after the jump and
   * keeps what it learnt about the noise (scale, tails).
   */
  gap(): void;
}

/** The signed deviation `d` as a score for `side` (upper: d, lower: −d, both: |d|). Pure. */
export function sidedScore(d: number, side: Side): number {
  return side === 'upper' ? d : side === 'lower' ? -d : Math.abs(d);
}

/** Result of running a detector over a whole series: one entry per point. */
export interface SeriesVerdicts {
  scores: Float64Array;
  alarms: Uint8Array;
  thresholds: Float64Array;
}

/** Feeds `series` through `detector` in order and collects the verdicts. */
export function runStreaming(detector: StreamingDetector, series: ArrayLike<number>): SeriesVerdicts {
  const n = series.length;
  const out: SeriesVerdicts = {
    scores: new Float64Array(n),
    alarms: new Uint8Array(n),
    thresholds: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const v = detector.step(series[i]);
    out.scores[i] = v.score;
    out.alarms[i] = v.alarm ? 1 : 0;
    out.thresholds[i] = v.threshold;
  }
  return out;
}
