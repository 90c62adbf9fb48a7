/**
 * Robust z-score over a sliding window: |x − median| / (1.4826 · MAD).
 * Reference: P. J. Rousseeuw and C. Croux, "Alternatives to the Median Absolute Deviation",
 * JASA 88(424), 1993 (1.4826 makes the MAD consistent with σ under normality).
 */
import { InputError } from '../errors.js';
import { sidedScore, type PointVerdict, type Side, type StreamingDetector } from './streaming.js';

/** Knobs of the robust z-score detector. */
export const DEFAULTS = {
  /** Points of history the median and MAD are taken over. */
  window: 60,
  /** Points needed before the detector may alarm. */
  warmup: 10,
  /** Alarm when the robust z-score exceeds this. */
  threshold: 4,
  /** Scale floor relative to |median|, so a flat series does not make every wiggle infinite. */
  relativeFloor: 1e-3,
  /** Absolute scale floor for series that sit at zero. */
  absoluteFloor: 1e-9,
  /** Which deviations alarm. */
  side: 'both' as Side,
};

export type RobustZOptions = typeof DEFAULTS;

/** Median of the first `n` values of `buf` (sorts a copy into `scratch`). */
function medianOf(buf: Float64Array, n: number, scratch: Float64Array): number {
  const s = scratch.subarray(0, n);
  s.set(buf.subarray(0, n));
  s.sort();
  return n % 2 === 1 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/**
 * A streaming robust z-score detector. Each point is scored against the window before it, then
 * joins the window. After `gap()` the window restarts: until it holds `warmup` points again, the
 * level is the median of the points since the gap and the scale is the one learnt before it.
 * Deterministic; O(window · log window) per point.
 */
export function createRobustZ(opts: Partial<RobustZOptions> = {}): StreamingDetector {
  const o = { ...DEFAULTS, ...opts };
  if (!(o.window >= 3)) throw new InputError('robust-z › window', `must be at least 3, got ${o.window}`);
  const ring = new Float64Array(o.window);
  const scratch = new Float64Array(o.window);
  const dev = new Float64Array(o.window);
  let count = 0;
  let head = 0;
  let carried = NaN; // scale learnt before the last gap
  const scaleOf = (n: number, med: number) => {
    for (let i = 0; i < n; i++) dev[i] = Math.abs(ring[i] - med);
    return Math.max(1.4826 * medianOf(dev, n, scratch), o.relativeFloor * Math.abs(med), o.absoluteFloor);
  };
  return {
    name: 'robust-z',
    step(x: number): PointVerdict {
      let verdict: PointVerdict = { score: 0, alarm: false, threshold: o.threshold };
      const n = Math.min(count, o.window);
      if (!Number.isFinite(x)) return verdict;
      const warm = n >= o.warmup;
      if (warm || (n >= 1 && Number.isFinite(carried))) {
        const med = medianOf(ring, n, scratch);
        const scale = warm ? scaleOf(n, med) : carried;
        const score = sidedScore((x - med) / scale, o.side);
        verdict = { score, alarm: score > o.threshold, threshold: o.threshold };
      }
      ring[head] = x;
      head = (head + 1) % o.window;
      count++;
      return verdict;
    },
    gap() {
      const n = Math.min(count, o.window);
      if (n >= o.warmup) carried = scaleOf(n, medianOf(ring, n, scratch));
      count = 0;
      head = 0;
    },
  };
}
