/** The shape every streaming single-series detector shares, and a batch runner over it. */

/** What a detector says about one point. `score` is detector-specific; `alarm` is its verdict. */
export interface PointVerdict {
  score: number;
  alarm: boolean;
  /** The threshold the score was compared against (SPOT: the extreme quantile, in data units). */
  threshold: number;
}

/** A stateful detector fed one point at a time, in time order. Deterministic. */
export interface StreamingDetector {
  readonly name: string;
  /** Scores `x`, then learns from it. Non-finite `x` (a missing sample) scores 0 and is skipped. */
  step(x: number): PointVerdict;
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
