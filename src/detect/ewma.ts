/**
 * EWMA control chart: exponentially weighted mean and variance, alarm at L standard deviations.
 * Reference: S. W. Roberts, "Control Chart Tests Based on Geometric Moving Averages",
 * Technometrics 1(3), 1959; variance recursion from Finch, "Incremental calculation of weighted
 * mean and variance", 2009.
 */
import { InputError } from '../errors.js';
import { sidedScore, type PointVerdict, type Side, type StreamingDetector } from './streaming.js';

/** Knobs of the EWMA detector. */
export const DEFAULTS = {
  /** Weight of the newest point in the mean and variance (0 < alpha ≤ 1). */
  alpha: 0.1,
  /** Alarm when |x − mean| exceeds this many standard deviations. */
  threshold: 4,
  /** Points needed before the detector may alarm. */
  warmup: 10,
  /** Points that alarm are learnt with this weight relative to alpha, so an outage does not become normal at once. */
  anomalyWeight: 0.1,
  /** Standard-deviation floor relative to |mean|. */
  relativeFloor: 1e-3,
  absoluteFloor: 1e-9,
  /** Which deviations alarm. */
  side: 'both' as Side,
};

export type EwmaOptions = typeof DEFAULTS;

/**
 * A streaming EWMA detector: scores each point against the mean/variance before it. After `gap()`
 * the first point re-anchors the mean (unscored); the variance is kept.
 */
export function createEwma(opts: Partial<EwmaOptions> = {}): StreamingDetector {
  const o = { ...DEFAULTS, ...opts };
  if (!(o.alpha > 0 && o.alpha <= 1)) throw new InputError('ewma › alpha', `must be in (0, 1], got ${o.alpha}`);
  let mean = 0;
  let variance = 0;
  let count = 0;
  let reanchor = false;
  return {
    name: 'ewma',
    step(x: number): PointVerdict {
      if (!Number.isFinite(x)) return { score: 0, alarm: false, threshold: o.threshold };
      if (count === 0 || reanchor) {
        mean = x;
        count = Math.max(count, 1);
        reanchor = false;
        return { score: 0, alarm: false, threshold: o.threshold };
      }
      const sd = Math.max(Math.sqrt(variance), o.relativeFloor * Math.abs(mean), o.absoluteFloor);
      const score = sidedScore((x - mean) / sd, o.side);
      const alarm = count >= o.warmup && score > o.threshold;
      // During warm-up a plain running average converges faster than a small alpha would.
      const a = count < o.warmup ? 1 / (count + 1) : alarm ? o.alpha * o.anomalyWeight : o.alpha;
      const diff = x - mean;
      mean += a * diff;
      variance = (1 - a) * (variance + a * diff * diff);
      count++;
      return { score, alarm, threshold: o.threshold };
    },
    gap() {
      reanchor = true;
    },
  };
}
