import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, compressionRatio, purity } from '../../src/alerts/grouping-quality.js';

const labels = (xs: Array<string | number>) => new Map(xs.map((x, i) => [`i${i}`, String(x)]));

describe('purity', () => {
  it('matches the worked example of Manning et al., IIR §16.3 (0.71)', () => {
    // Clusters: {5×x, 1×o}, {1×x, 4×o, 1×d}, {2×x, 3×d}.
    const pred = labels([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
    const truth = labels(['x', 'x', 'x', 'x', 'x', 'o', 'x', 'o', 'o', 'o', 'o', 'd', 'x', 'x', 'd', 'd', 'd']);
    expect(purity(pred, truth)).toBeCloseTo(12 / 17, 10);
  });
  it('is 1 for singletons and ignores items missing from the truth', () => {
    const truth = labels(['a', 'a', 'b']);
    expect(purity(labels([1, 2, 3]), truth)).toBe(1);
    const pred = new Map([...labels([1, 1, 2]), ['extra', '1']]);
    expect(purity(pred, truth)).toBe(1);
  });
});

describe('adjustedRandIndex', () => {
  it('matches scikit-learn documented values', () => {
    // sklearn.metrics.adjusted_rand_score docs: ([0,0,1,2],[0,0,1,1]) → 0.571428…; ([0,0,0,0],[0,1,2,3]) → 0.
    expect(adjustedRandIndex(labels([0, 0, 1, 1]), labels([1, 1, 0, 0]))).toBe(1);
    expect(adjustedRandIndex(labels([0, 0, 1, 1]), labels([0, 0, 1, 2]))).toBeCloseTo(0.5714285714285715, 12);
    expect(adjustedRandIndex(labels([0, 0, 0, 0]), labels([0, 1, 2, 3]))).toBe(0);
    expect(adjustedRandIndex(labels([0, 0, 1, 1]), labels([0, 1, 0, 1]))).toBeCloseTo(-0.5, 12);
  });
  it('is 1 against itself and invariant to renaming groups', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 40 }), (xs) => {
        const a = labels(xs);
        const renamed = labels(xs.map((x) => `g${(x * 7 + 3) % 11}`));
        expect(adjustedRandIndex(a, a)).toBeCloseTo(1, 12);
        expect(adjustedRandIndex(renamed, a)).toBeCloseTo(1, 12);
        expect(adjustedRandIndex(a, labels(xs.map(() => 0)))).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('compressionRatio', () => {
  it('is the share of items removed', () => {
    expect(compressionRatio(200, 4)).toBeCloseTo(0.98, 12);
    expect(compressionRatio(0, 0)).toBe(0);
  });
});
