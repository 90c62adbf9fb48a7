import { describe, expect, it } from 'vitest';
import { chooseThreshold } from '../../src/detect/adaptive-threshold.js';

describe('adaptive threshold d(S<τ, S>τ)', () => {
  it('picks the split with the largest separation, computed by hand', () => {
    // sorted: 1 2 3 4 10 11; splits with ≥ 3 below:
    // after 3: (4−3)/(4+3−2) = 0.2; after 4: (10−4)/(10+4−2) = 0.5; after 10: (11−10)/(11+10−2) ≈ 0.0526
    const c = chooseThreshold([4, 1, 11, 3, 10, 2]);
    expect(c.tau).toBe(7);
    expect(c.separation).toBeCloseTo(0.5, 12);
    expect(c.above).toBe(2);
  });

  it('can choose a single top outlier', () => {
    // sorted 0 1 1 2 2 20: after 2 (k=5): (20−2)/(20+2−0) = 18/22; earlier splits are smaller
    const c = chooseThreshold([1, 2, 20, 0, 1, 2]);
    expect(c.tau).toBe(11);
    expect(c.separation).toBeCloseTo(18 / 22, 12);
    expect(c.above).toBe(1);
  });

  it('honours minSeparation and minLowerFraction', () => {
    expect(chooseThreshold([4, 1, 11, 3, 10, 2], { minSeparation: 0.6 }).tau).toBe(Infinity);
    // with 1/6 allowed below, the split after the minimum gives d = 1
    expect(chooseThreshold([4, 1, 11, 3, 10, 2], { minLowerFraction: 0 }).separation).toBe(1);
  });

  it('returns +∞ for fewer than two distinct finite scores', () => {
    expect(chooseThreshold([3, 3, 3, NaN]).tau).toBe(Infinity);
    expect(chooseThreshold([]).tau).toBe(Infinity);
  });
});
