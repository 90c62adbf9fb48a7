/**
 * Robust z-score over a sliding window: |x − median| / (1.4826 · MAD).
 * Reference: P. J. Rousseeuw and C. Croux, "Alternatives to the Median Absolute Deviation",
 * JASA 88(424), 1993 (1.4826 makes the MAD consistent with σ under normality).
 */
import { InputError } from '../errors.js';
import type { PointVerdict, StreamingDetector } from './streaming.js';

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
 * joins the window. Deterministic; O(window · log window) per point.
 */
export function createRobustZ(opts: Partial<RobustZOptions> = {}): StreamingDetector {
  const o = { ...DEFAULTS, ...opts };
  if (!(o.window >= 3)) throw new InputError('robust-z › window', `must be at least 3, got ${o.window}`);
  const ring = new Float64Array(o.window);
  const scratch = new Float64Array(o.window);
  const dev = new Float64Array(o.window);
  let count = 0;
  let head = 0;
  return {
    name: 'robust-z',
    step(x: number): PointVerdict {
      let verdict: PointVerdict = { score: 0, alarm: false, threshold: o.threshold };
      const n = Math.min(count, o.window);
      if (!Number.isFinite(x)) return verdict;
      if (n >= o.warmup) {
        const med = medianOf(ring, n, scratch);
        for (let i = 0; i < n; i++) dev[i] = Math.abs(ring[i] - med);
        const mad = medianOf(dev, n, scratch);
        const scale = Math.max(1.4826 * mad, o.relativeFloor * Math.abs(med), o.absoluteFloor);
        const score = Math.abs(x - med) / scale;
        verdict = { score, alarm: score > o.threshold, threshold: o.threshold };
      }
      ring[head] = x;
      head = (head + 1) % o.window;
      count++;
      return verdict;
    },
  };
}
