import { describe, expect, it } from 'vitest';
import { kthSmallest, upperMedian } from '../../src/rca/robust.js';
import { seededRng } from '../../src/rca/rng.js';

const bySort = (xs: ArrayLike<number>, k: number) => Float64Array.from(xs).sort()[k];

describe('selection instead of a sort for the median', () => {
  it('finds every k-th smallest as a sort would, with duplicates, sorted, reversed and constant input', () => {
    const rng = seededRng(5);
    const inputs: number[][] = [
      [],
      [7],
      [2, 1],
      Array.from({ length: 101 }, () => Math.floor(rng() * 10)),
      Array.from({ length: 1000 }, () => rng() * 1e18 - 5e17),
      Array.from({ length: 64 }, (_, i) => i),
      Array.from({ length: 65 }, (_, i) => 65 - i),
      new Array<number>(50).fill(3),
      [-0, 0, -1, Infinity, -Infinity, 4],
    ];
    for (const xs of inputs) {
      // Numeric equality: −0 and 0 are the same value to a median (the sort orders them, selection need not).
      for (let k = 0; k < xs.length; k++) expect(kthSmallest(Float64Array.from(xs), k) === bySort(xs, k)).toBe(true);
      expect(upperMedian(xs) === (xs.length === 0 ? 0 : bySort(xs, xs.length >> 1))).toBe(true);
    }
  });

  it('keeps the sort’s answer when values hold NaN (sorted last)', () => {
    const xs = [3, NaN, 1, NaN, 2];
    expect(upperMedian(xs)).toBe(bySort(xs, 2));
  });
});
