/**
 * Maximum-likelihood fit of a generalised Pareto distribution (GPD) to threshold excesses by
 * Grimshaw's method, and the extreme quantile SPOT derives from it.
 * References: S. D. Grimshaw, "Computing Maximum Likelihood Estimates for the Generalized Pareto
 * Distribution", Technometrics 35(2), 1993; A. Siffer et al., "Anomaly Detection in Streams with
 * Extreme Value Theory", KDD 2017, §3.2 and eq. (1).
 */

/** Knobs of the root search. */
export const DEFAULTS = {
  /** Grid points per search interval when bracketing roots of u(x)·v(x) − 1. */
  gridPoints: 96,
  /** Keeps the search strictly inside the open intervals. */
  epsilon: 1e-8,
  /** Bisection steps per bracketed root (interval shrinks by 2^steps). */
  bisectionSteps: 60,
};

/** A fitted GPD: shape γ, scale σ > 0, and the log-likelihood of the peaks under it. */
export interface GpdFit {
  gamma: number;
  sigma: number;
  logLikelihood: number;
}

/** GPD log-likelihood of excesses `y` (all > 0). −Infinity outside the support. */
export function gpdLogLikelihood(y: ArrayLike<number>, gamma: number, sigma: number): number {
  const n = y.length;
  if (!(sigma > 0)) return -Infinity;
  if (gamma === 0) {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i];
    return -n * Math.log(sigma) - s / sigma;
  }
  const tau = gamma / sigma;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = 1 + tau * y[i];
    if (!(a > 0)) return -Infinity;
    s += Math.log(a);
  }
  return -n * Math.log(sigma) - (1 + 1 / gamma) * s;
}

/** u(x)·v(x) − 1 with u = 1 + mean(log(1 + x·y)), v = mean(1 / (1 + x·y)) (Grimshaw's profile equation). */
function w(y: ArrayLike<number>, x: number): number {
  let u = 0;
  let v = 0;
  for (let i = 0; i < y.length; i++) {
    const s = 1 + x * y[i];
    u += Math.log(s);
    v += 1 / s;
  }
  return (1 + u / y.length) * (v / y.length) - 1;
}

/** Roots of w on [lo, hi]: sign changes on a grid (geometric when `geometric`), refined by bisection. */
function roots(y: ArrayLike<number>, lo: number, hi: number, geometric: boolean, o: typeof DEFAULTS): number[] {
  const out: number[] = [];
  if (!(hi > lo)) return out;
  const g = o.gridPoints;
  const at = (k: number) =>
    k === g - 1 ? hi : geometric ? lo * Math.pow(hi / lo, k / (g - 1)) : lo + (k * (hi - lo)) / (g - 1);
  let xPrev = lo;
  let fPrev = w(y, xPrev);
  for (let k = 1; k < g; k++) {
    const x = at(k);
    const f = w(y, x);
    if (f === 0) out.push(x);
    else if (fPrev !== 0 && Math.sign(f) !== Math.sign(fPrev)) {
      let a = xPrev;
      let b = x;
      let fa = fPrev;
      for (let it = 0; it < o.bisectionSteps; it++) {
        const m = (a + b) / 2;
        const fm = w(y, m);
        if (Math.sign(fm) === Math.sign(fa)) {
          a = m;
          fa = fm;
        } else b = m;
      }
      out.push((a + b) / 2);
    }
    xPrev = x;
    fPrev = f;
  }
  return out;
}

/**
 * Fits a GPD to positive excesses `y` by Grimshaw's method: every root x* of the profile equation
 * gives γ = mean(log(1 + x*·y)), σ = γ / x*; the exponential case (γ = 0, σ = mean) is always a
 * candidate; the candidate with the highest likelihood wins. Pure; needs at least one excess.
 */
export function fitGpdGrimshaw(y: ArrayLike<number>, opts: Partial<typeof DEFAULTS> = {}): GpdFit {
  const o = { ...DEFAULTS, ...opts };
  const n = y.length;
  let ymin = Infinity;
  let ymax = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    ymin = Math.min(ymin, y[i]);
    ymax = Math.max(ymax, y[i]);
    sum += y[i];
  }
  const ymean = sum / n;
  let best: GpdFit = { gamma: 0, sigma: ymean, logLikelihood: gpdLogLikelihood(y, 0, ymean) };
  if (n < 2 || !(ymax > ymin) || !(ymin > 0)) return best;
  // Grimshaw's bounds on x = γ/σ: x > −1/ymax keeps every 1 + x·y positive; positive roots lie below c.
  // The reference implementation searches (b, c) with b = 2(ȳ−ymin)/(ȳ·ymin) and so misses roots in (0, b):
  // we scan (0, c] on a geometric grid instead, which also resolves roots close to 0.
  const eps = Math.min(o.epsilon, 1 / ymax / (2 * o.gridPoints));
  const a = -1 / ymax + eps;
  const c = (2 * (ymean - ymin)) / (ymin * ymin);
  const candidates = [...roots(y, a, -eps, false, o), ...roots(y, 1e-6 / ymax, c, true, o)];
  for (const x of candidates) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.log(1 + x * y[i]);
    const gamma = s / n;
    const sigma = gamma / x;
    const ll = gpdLogLikelihood(y, gamma, sigma);
    if (ll > best.logLikelihood) best = { gamma, sigma, logLikelihood: ll };
  }
  return best;
}

/**
 * SPOT's extreme quantile (Siffer et al., eq. 1): the value exceeded with probability `q`, given
 * initial threshold `t`, GPD fit of the `nPeaks` excesses and `n` observations seen.
 */
export function gpdQuantile(opts: { t: number; fit: GpdFit; q: number; n: number; nPeaks: number }): number {
  const { t, fit, q, n, nPeaks } = opts;
  const r = (q * n) / nPeaks;
  if (fit.gamma === 0) return t - fit.sigma * Math.log(r);
  return t + (fit.sigma / fit.gamma) * (Math.pow(r, -fit.gamma) - 1);
}
