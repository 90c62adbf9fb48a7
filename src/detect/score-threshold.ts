/**
 * A per-system threshold on an anomaly score that honours a false-alarm budget: SPOT's peaks-over-
 * threshold fit (spot.ts) on scores of held-out normal data, at the risk q that makes `falsePerDay`
 * alarms a day on normal data; while scoring, normal scores keep refining the tail (SPOT Algorithm 2),
 * so the threshold adapts to the system. Reference: Siffer et al., KDD 2017 — the "SPOT on
 * the VAE's score"; the alternative, TopoMAD's separation rule, is adaptive-threshold.ts.
 */
import { InputError } from '../errors.js';
import { calibrateSpot, spotStep, type SpotTail } from './spot.js';

/** Knobs of the calibration. */
export const DEFAULTS = {
  /** Quantile of the held-out scores where peaks begin (few scores: a low level keeps enough peaks to fit). */
  level: 0.8,
  /**
   * The risk per step is the budget's share of a day's steps times this factor. Below 1 it leaves
   * room for what one held-out day cannot show (the tail beyond its peaks). Fitted as the most
   * sensitive of 0.25, 0.5, 0.75 and 1 whose VAE alone stays within the budget on PetShop's normal
   * days (judged out of sample) and on the simulator; no incident split was looked at (BENCHMARKS.md).
   */
  riskFactor: 0.5,
};

/** A calibrated threshold, plain JSON so it can be stored with the model. */
export interface ScoreThreshold {
  /** The risk per scored step. */
  q: number;
  tail: SpotTail;
}

/** Risk per step for a budget of `falsePerDay` false incidents a day at one score every `stepS` seconds. Pure. */
export function riskFor(falsePerDay: number, stepS: number, riskFactor: number = DEFAULTS.riskFactor): number {
  if (!(falsePerDay > 0) || !(stepS > 0) || !(riskFactor > 0))
    throw new InputError(
      'score threshold',
      `falsePerDay, stepS and riskFactor must be positive, got ${falsePerDay}, ${stepS} and ${riskFactor}`,
    );
  return Math.min(0.5, (falsePerDay * riskFactor * stepS) / 86_400);
}

/** Calibrates on held-out normal `scores` (non-finite ignored) at risk `q`. Pure. */
export function calibrateScoreThreshold(
  scores: ArrayLike<number>,
  q: number,
  opts: Partial<Pick<typeof DEFAULTS, 'level'>> = {},
): ScoreThreshold {
  const o = { ...DEFAULTS, ...opts };
  const finite = Array.from(scores).filter(Number.isFinite);
  if (finite.length < 10)
    throw new InputError('score threshold', `needs at least 10 held-out scores, got ${finite.length}`, {
      hint: 'Train on more normal data so that validation holds enough windows.',
    });
  return { q, tail: calibrateSpot(finite, { q, level: o.level }) };
}

/**
 * Judges `scores` in order: 1 where a score exceeds the current threshold. Scores at or after
 * `learnFrom` that do not alarm refine the tail (those before it are in-sample and only judged).
 * Does not modify `th`. Pure.
 */
export function judgeScores(th: ScoreThreshold, scores: ArrayLike<number>, learnFrom = 0): Uint8Array {
  const tail: SpotTail = { ...th.tail, peaks: [...th.tail.peaks], fit: { ...th.tail.fit } };
  const out = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!Number.isFinite(s)) continue;
    if (s > tail.z) out[i] = 1;
    else if (i >= learnFrom) spotStep(tail, s, th.q);
  }
  return out;
}
