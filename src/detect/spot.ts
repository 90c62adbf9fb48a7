/**
 * SPOT and DSPOT: streaming extreme-value thresholds.
 * Reference: A. Siffer, P.-A. Fouque, A. Termier and C. Largouët, "Anomaly Detection in Streams
 * with Extreme Value Theory", KDD 2017 (Algorithm 1 POT, Algorithm 2 SPOT, Algorithm 4 DSPOT).
 * The initial threshold is the empirical `level` quantile of the calibration data, taken as the
 * reference implementation does: sorted[floor(level · n)].
 */
import { InputError } from '../errors.js';
import { fitGpdGrimshaw, gpdQuantile, type GpdFit } from './grimshaw.js';
import type { PointVerdict, Side, StreamingDetector } from './streaming.js';

/** Knobs of SPOT/DSPOT. */
export const DEFAULTS = {
  /** Risk: probability that a normal point exceeds the extreme threshold z_q. */
  q: 1e-4,
  /** Quantile of the calibration data used as the initial (peak) threshold t. */
  level: 0.98,
  /** Points used to calibrate before any alarm (DSPOT: after the drift window fills). */
  nInit: 200,
  /** Which tail is extreme. */
  side: 'upper' as Side,
  /** DSPOT only: length of the moving average that removes drift. 0 means plain SPOT. */
  depth: 0,
};

export type SpotOptions = typeof DEFAULTS;

/** The state of one calibrated tail: initial threshold, peaks, fit and extreme quantile. */
export interface SpotTail {
  t: number;
  z: number;
  n: number;
  peaks: number[];
  fit: GpdFit;
}

/**
 * POT calibration (Algorithm 1): t = sorted[floor(level·n)], peaks = values above t minus t,
 * GPD by Grimshaw, z_q from eq. (1). Pure.
 */
export function calibrateSpot(init: ArrayLike<number>, opts: { q: number; level: number }): SpotTail {
  const sorted = Float64Array.from(init).sort();
  const n = sorted.length;
  if (n < 2) throw new InputError('spot › calibration', `needs at least 2 points, got ${n}`);
  const t = sorted[Math.min(n - 1, Math.floor(opts.level * n))];
  const peaks: number[] = [];
  for (let i = 0; i < n; i++) if (init[i] > t) peaks.push(init[i] - t);
  if (peaks.length === 0) return { t, z: t, n, peaks, fit: { gamma: 0, sigma: 0, logLikelihood: 0 } };
  const fit = fitGpdGrimshaw(peaks);
  return { t, z: gpdQuantile({ t, fit, q: opts.q, n, nPeaks: peaks.length }), n, peaks, fit };
}

/**
 * One SPOT step on a calibrated tail (Algorithm 2, mutates `tail`): above z → alarm, not learnt;
 * between t and z → a new peak, refit; otherwise just counted.
 */
export function spotStep(tail: SpotTail, x: number, q: number): boolean {
  if (x > tail.z) return true;
  tail.n++;
  if (x > tail.t) {
    tail.peaks.push(x - tail.t);
    tail.fit = fitGpdGrimshaw(tail.peaks);
    tail.z = gpdQuantile({ t: tail.t, fit: tail.fit, q, n: tail.n, nPeaks: tail.peaks.length });
  }
  return false;
}

/** Score relative to a tail: 0 at t, 1 at z (alarm above 1). */
function relScore(tail: SpotTail, x: number): number {
  const span = tail.z - tail.t;
  return span > 0 ? (x - tail.t) / span : x > tail.z ? Infinity : 0;
}

/**
 * A streaming SPOT (depth 0) or DSPOT (depth > 0) detector. The first `nInit` finite points (after
 * `depth` points for the drift window) calibrate silently; then each point is judged and learnt.
 * For DSPOT the judged value is x minus the mean of the last `depth` normal points. After `gap()`
 * DSPOT's drift window restarts: the first point after the gap anchors the level, and later points
 * are judged against the mean of the (still filling) window; the calibrated tails are kept. SPOT's
 * thresholds are absolute, so a gap changes nothing for it. Both tails are always calibrated: a point
 * beyond either extreme threshold is not learnt, but only `side` alarms (for a one-sided SLI, a dip
 * to near zero is no incident, yet learning it would make the recovery look like a rise).
 */
export function createSpot(opts: Partial<SpotOptions> = {}): StreamingDetector {
  const o = { ...DEFAULTS, ...opts };
  if (!(o.q > 0 && o.q < 1)) throw new InputError('spot › q', `must be in (0, 1), got ${o.q}`);
  if (!(o.level > 0 && o.level < 1)) throw new InputError('spot › level', `must be in (0, 1), got ${o.level}`);
  const signs = [1, -1];
  const alarmsOn = [o.side !== 'lower', o.side !== 'upper'];
  let drift: number[] = [];
  const init: number[] = [];
  let tails: SpotTail[] = [];
  const mean = () => (drift.length === 0 ? 0 : drift.reduce((a, b) => a + b, 0) / drift.length);
  const pushDrift = (x: number) => {
    if (o.depth <= 0) return;
    drift.push(x);
    if (drift.length > o.depth) drift.shift();
  };
  return {
    name: o.depth > 0 ? 'dspot' : 'spot',
    step(x: number): PointVerdict {
      if (!Number.isFinite(x)) return { score: 0, alarm: false, threshold: NaN };
      // Before calibration the window must be full; after a gap one point is enough to anchor.
      if (drift.length < (tails.length === 0 ? o.depth : Math.min(1, o.depth))) {
        pushDrift(x);
        return { score: 0, alarm: false, threshold: NaN };
      }
      const y = x - mean();
      if (tails.length === 0) {
        init.push(y);
        pushDrift(x);
        if (init.length >= o.nInit)
          tails = signs.map((s) =>
            calibrateSpot(
              init.map((v) => s * v),
              o,
            ),
          );
        return { score: 0, alarm: false, threshold: NaN };
      }
      let score = -Infinity;
      let alarm = false;
      let extreme = false;
      for (let k = 0; k < tails.length; k++) {
        const beyond = signs[k] * y > tails[k].z;
        extreme ||= beyond;
        if (!alarmsOn[k]) continue;
        score = Math.max(score, relScore(tails[k], signs[k] * y));
        alarm ||= beyond;
      }
      // Learn only from normal points, as Algorithm 2 does; both tails see the same point.
      if (!extreme) {
        for (let k = 0; k < tails.length; k++) spotStep(tails[k], signs[k] * y, o.q);
        pushDrift(x);
      }
      const first = alarmsOn[0] ? 0 : 1;
      return { score, alarm, threshold: tails[first].z * signs[first] + (o.depth > 0 ? mean() : 0) };
    },
    gap() {
      if (o.depth > 0) drift = [];
    },
  };
}
