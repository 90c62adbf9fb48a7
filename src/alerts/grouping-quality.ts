/**
 * Clustering quality against ground truth: purity (Manning, Raghavan & Schütze, "Introduction to
 * Information Retrieval", §16.3) and the adjusted Rand index (Hubert & Arabie, 1985), plus the
 * compression ratio alert-correlation papers report (1 − items out / items in).
 */

/** Items present in both labelings, as parallel label arrays. */
function aligned(predicted: ReadonlyMap<string, string>, truth: ReadonlyMap<string, string>): [string[], string[]] {
  const p: string[] = [];
  const t: string[] = [];
  for (const [item, label] of predicted) {
    const tl = truth.get(item);
    if (tl === undefined) continue;
    p.push(label);
    t.push(tl);
  }
  return [p, t];
}

function contingency(p: readonly string[], t: readonly string[]): Map<string, Map<string, number>> {
  const table = new Map<string, Map<string, number>>();
  p.forEach((pl, i) => {
    const row = table.get(pl) ?? new Map<string, number>();
    row.set(t[i], (row.get(t[i]) ?? 0) + 1);
    table.set(pl, row);
  });
  return table;
}

/**
 * Purity: each predicted group counts its most common true label; the sum over all items
 * compared. 1 when no group mixes true classes; items missing from either map are ignored
 * (1 for no items). Pure.
 */
export function purity(predicted: ReadonlyMap<string, string>, truth: ReadonlyMap<string, string>): number {
  const [p, t] = aligned(predicted, truth);
  if (p.length === 0) return 1;
  let sum = 0;
  for (const row of contingency(p, t).values()) sum += Math.max(...row.values());
  return sum / p.length;
}

const choose2 = (n: number) => (n * (n - 1)) / 2;

/**
 * Adjusted Rand index between the predicted and the true grouping over the items both label:
 * 1 for identical partitions, about 0 for chance agreement, negative below chance. When both
 * partitions are trivial (all singletons or one group each) and equal, 1. Pure.
 */
export function adjustedRandIndex(predicted: ReadonlyMap<string, string>, truth: ReadonlyMap<string, string>): number {
  const [p, t] = aligned(predicted, truth);
  const n = p.length;
  if (n < 2) return 1;
  const table = contingency(p, t);
  let index = 0;
  const colSums = new Map<string, number>();
  let rowPairs = 0;
  for (const row of table.values()) {
    let rowSum = 0;
    for (const [tl, c] of row) {
      index += choose2(c);
      rowSum += c;
      colSums.set(tl, (colSums.get(tl) ?? 0) + c);
    }
    rowPairs += choose2(rowSum);
  }
  let colPairs = 0;
  for (const c of colSums.values()) colPairs += choose2(c);
  const expected = (rowPairs * colPairs) / choose2(n);
  const max = (rowPairs + colPairs) / 2;
  if (max === expected) return index === expected ? 1 : 0;
  return (index - expected) / (max - expected);
}

/** 1 − itemsOut / itemsIn: 0.95 means 95 % fewer items to look at. 0 when nothing came in. Pure. */
export function compressionRatio(itemsIn: number, itemsOut: number): number {
  return itemsIn <= 0 ? 0 : 1 - itemsOut / itemsIn;
}
