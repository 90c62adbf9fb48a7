/** Standard RCA accuracy (e.g. RCAEval, Pham et al. 2025): AC@k = share of cases with the cause in the top k; Avg@5 = mean AC@1..5. */

/** Accuracy figures over a set of 1-based ranks (0 or less = cause not ranked at all). */
export interface Accuracy {
  cases: number;
  ac1: number;
  ac3: number;
  ac5: number;
  avg5: number;
}

/** AC@k of 1-based ranks. Pure; an empty set gives zeros. */
export function accuracyAt(ranks: readonly number[], k: number): number {
  if (ranks.length === 0) return 0;
  return ranks.filter((r) => r >= 1 && r <= k).length / ranks.length;
}

/** AC@1, AC@3, AC@5 and Avg@5 of 1-based ranks. */
export function accuracy(ranks: readonly number[]): Accuracy {
  const at = (k: number) => accuracyAt(ranks, k);
  return { cases: ranks.length, ac1: at(1), ac3: at(3), ac5: at(5), avg5: (at(1) + at(2) + at(3) + at(4) + at(5)) / 5 };
}
