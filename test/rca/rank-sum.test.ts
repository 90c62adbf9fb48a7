import { describe, expect, it } from 'vitest';
import { rankSumZ } from '../../src/rca/robust.js';
import { latencyShift } from '../../src/rca/shift-judging.js';
import { DEFAULTS } from '../../src/rca/trace-shift.js';

const f = (xs: number[]) => Float64Array.from(xs);
// A real case's seven normal and eight window self times (ms): the median doubles inside the normal range.
const NORMAL = f([1.0, 1.3, 1.5, 1.5, 1.6, 3.1, 4.4]);
const WINDOW = f([1.4, 1.5, 2.8, 2.9, 3.4, 3.8, 3.9, 4.8]);

describe('rank-sum z (Mann–Whitney, normal approximation)', () => {
  it('matches scipy.stats.mannwhitneyu (asymptotic, no continuity correction), ties included', () => {
    expect(rankSumZ(NORMAL, WINDOW)).toBeCloseTo(1.3937, 3);
    expect(rankSumZ(f([5, 5, 5, 6, 6, 7]), f([4, 5, 6, 6]))).toBeCloseTo(-0.5686, 3);
  });

  it('is symmetric in sign, and 0 with an empty side or all values equal', () => {
    expect(rankSumZ(WINDOW, NORMAL)).toBeCloseTo(-rankSumZ(NORMAL, WINDOW), 10);
    expect(rankSumZ(f([]), WINDOW)).toBe(0);
    expect(rankSumZ(f([2, 2, 2]), f([2, 2]))).toBe(0);
  });
});

describe('a median shift from few spans', () => {
  const ms = (xs: Float64Array) => xs.map((v) => v * 1e6);
  it('counts only as far as the ranks support, when the window stays within the normal range', () => {
    const z = latencyShift(ms(NORMAL), ms(WINDOW), DEFAULTS);
    expect(z).toBeLessThan(DEFAULTS.significantZ);
    // Without the rank check the robust scale of seven spans reads it as z > 5.
    expect(latencyShift(ms(NORMAL), ms(WINDOW), { ...DEFAULTS, significantZ: Infinity })).toBeGreaterThan(5);
  });

  it('keeps a shift past every normal span, which few spans cannot prove by ranks', () => {
    const slow = f([900, 950, 1000, 1100, 1200]);
    expect(rankSumZ(NORMAL, slow)).toBeLessThan(DEFAULTS.significantZ);
    expect(latencyShift(ms(NORMAL), ms(slow), DEFAULTS)).toBeGreaterThan(100);
  });

  it('keeps a shift past every normal span but one slow one (a cold start in the baseline)', () => {
    const normal = f([...Array.from({ length: 10 }, (_, i) => 10 + i * 0.1), 250]);
    const window = f([100, 101, 102, 103, 104]);
    expect(rankSumZ(normal, window)).toBeLessThan(DEFAULTS.significantZ);
    expect(latencyShift(ms(normal), ms(window), DEFAULTS)).toBeGreaterThan(100);
  });

  it('keeps a shift many spans prove', () => {
    const normal = f(Array.from({ length: 200 }, (_, i) => 10 + (i % 20) * 0.1));
    const window = f(Array.from({ length: 200 }, (_, i) => 11.5 + (i % 20) * 0.1));
    expect(latencyShift(ms(normal), ms(window), DEFAULTS)).toBeGreaterThan(DEFAULTS.significantZ);
  });
});
