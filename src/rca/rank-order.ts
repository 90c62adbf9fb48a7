/** The ranking's order, one rule for every place that sorts or counts ranks. Pure. */

/** True when node `j` ranks before node `k`: a higher score, or the same and a name sorting first. */
export function rankedBefore(nodes: readonly string[], score: ArrayLike<number>, j: number, k: number): boolean {
  return score[j] > score[k] || (score[j] === score[k] && nodes[j].localeCompare(nodes[k]) < 0);
}
