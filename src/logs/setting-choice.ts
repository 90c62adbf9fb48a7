/**
 * Choosing one stream setting from per-run scores on labelled runs, with parsimony among ties: a
 * setting whose mean per-run F1 is not significantly below the best one's (paired t over the same
 * runs below `tieT`, the conventional two sigma; one-standard-error-style rule, Breiman et al.,
 * "Classification and Regression Trees", 1984, §3.4.3) counts as tied with it, and among tied
 * settings the one flagging the fewest severity levels wins. Why: the levels are nested (error lines
 * ⊂ warning-or-worse ⊂ all lines), so flagging lines the program itself logged as INFO is the bigger
 * claim, taken only when the labelled runs show it pays; a difference of a few lines in one run is
 * not that evidence. Pure.
 */

/** What a setting scored on the runs, for the choice. */
export interface SettingRunScores {
  /** Per-line F1 of each run with a fault, in the same run order for every setting. */
  runF1: readonly number[];
  /** Lowest level a finding flags; stricter wins among ties. */
  flagLevels?: 'error' | 'warn' | 'all';
  /** Lines flagged in fault-free runs (fewer is better among equals). */
  falseOnQuiet: number;
  /** Pooled per-line F1 over every run (higher is better among equals). */
  pooledF1: number;
  /** Lines flagged in all (fewer is better among equals). */
  flagged: number;
}

export const DEFAULTS = {
  /** Paired t below which a setting is tied with the best (two sigma, as elsewhere in the checks). */
  tieT: 2,
};

/** How a setting stands against the best by mean F1. */
export interface SettingRank {
  /** Index into the input. */
  index: number;
  meanF1: number;
  /** Paired t of (best − this) over the runs; 0 for the best itself and for identical scores. */
  tVsBest: number;
  tiedWithBest: boolean;
}

const STRICTNESS: Readonly<Record<string, number>> = { error: 0, warn: 1, all: 2 };

/**
 * Ranks settings, the one to use first: the settings tied with the best mean F1 (see the header),
 * the strictest level first and then by mean F1; then the rest by mean F1. Remaining ties: fewer
 * flags on fault-free runs, higher pooled F1, fewer lines flagged, earlier in the input.
 */
export function rankSettings(
  scores: readonly SettingRunScores[],
  options: Partial<typeof DEFAULTS> = {},
): SettingRank[] {
  const { tieT } = { ...DEFAULTS, ...options };
  const means = scores.map((s) => mean(s.runF1));
  const byMerit = (a: number, b: number) =>
    means[b] - means[a] ||
    scores[a].falseOnQuiet - scores[b].falseOnQuiet ||
    scores[b].pooledF1 - scores[a].pooledF1 ||
    scores[a].flagged - scores[b].flagged ||
    a - b;
  const order = scores.map((_, i) => i).sort(byMerit);
  const best = order[0];
  const ranks = scores.map((s, i) => {
    const t = best === undefined ? 0 : pairedT(scores[best].runF1, s.runF1);
    return { index: i, meanF1: means[i], tVsBest: t, tiedWithBest: t < tieT };
  });
  const strictness = (i: number) => STRICTNESS[scores[i].flagLevels ?? 'error'];
  return order
    .sort(
      (a, b) =>
        Number(ranks[b].tiedWithBest) - Number(ranks[a].tiedWithBest) ||
        (ranks[a].tiedWithBest ? strictness(a) - strictness(b) : 0) ||
        byMerit(a, b),
    )
    .map((i) => ranks[i]);
}

/**
 * Paired t statistic of the mean of (a − b) over the same runs: mean / (sd / √n). 0 when every
 * difference is 0; ±Infinity when the differences are equal and not 0 (no spread: certain).
 */
export function pairedT(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  const d = Array.from({ length: n }, (_, i) => a[i] - b[i]);
  const m = mean(d);
  if (n < 2) return Math.abs(m) < 1e-12 ? 0 : Math.sign(m) * Infinity;
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1));
  // Spread at rounding level (equal differences computed in floating point) is no spread.
  if (sd < 1e-12) return Math.abs(m) < 1e-12 ? 0 : Math.sign(m) * Infinity;
  return m / (sd / Math.sqrt(n));
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);
