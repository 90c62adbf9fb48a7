/** The ranking's order, one rule for every place that sorts or counts ranks. Pure. */

/** True when node `j` ranks before node `k`: a higher score, or the same and a name sorting first. */
export function rankedBefore(nodes: readonly string[], score: ArrayLike<number>, j: number, k: number): boolean {
  return score[j] > score[k] || (score[j] === score[k] && nodes[j].localeCompare(nodes[k]) < 0);
}

/** The first-ranked node among those `counts` accepts (all by default); −1 when there is none. */
export function firstRanked(
  nodes: readonly string[],
  score: ArrayLike<number>,
  counts: (j: number) => boolean = () => true,
): number {
  let best = -1;
  for (let j = 0; j < score.length; j++) if (counts(j) && (best < 0 || rankedBefore(nodes, score, j, best))) best = j;
  return best;
}

/**
 * Puts node `j` just above node `top`, in place: the scores stay on one scale, and the lead `j` takes
 * is nil (the stated confidence is low).
 */
export function placeJustAbove(score: Float64Array, j: number, top: number): void {
  score[j] = score[top] + Math.max(1e-9, Math.abs(score[top]) * 1e-9);
}
