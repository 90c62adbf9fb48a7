// Choosing a stream setting on labelled runs: a paired t decides which settings are tied with the
// best mean F1, and among ties the strictest severity level wins (parsimony); known answers.
import { describe, expect, it } from 'vitest';
import { pairedT, rankSettings, type SettingRunScores } from '../../src/logs/setting-choice.js';

const setting = (runF1: number[], flagLevels: 'error' | 'warn' | 'all'): SettingRunScores => ({
  runF1,
  flagLevels,
  falseOnQuiet: 0,
  pooledF1: 0.9,
  flagged: 100,
});

describe('pairedT', () => {
  it('is mean / (sd / √n) of the differences', () => {
    // d = [1, 0, 1, 0]: mean 0.5, sd √(1/3), t = 0.5 / (√(1/3) / 2) = √3.
    expect(pairedT([1, 2, 3, 4], [0, 2, 2, 4])).toBeCloseTo(Math.sqrt(3), 12);
    expect(pairedT([0, 2, 2, 4], [1, 2, 3, 4])).toBeCloseTo(-Math.sqrt(3), 12);
  });

  it('is 0 for identical scores and infinite for a constant non-zero difference', () => {
    expect(pairedT([0.3, 0.5], [0.3, 0.5])).toBe(0);
    expect(pairedT([0.4, 0.6], [0.3, 0.5])).toBe(Infinity);
  });
});

describe('rankSettings', () => {
  const base = [0.1, 0.9, 0.5, 0.0, 1.0, 0.7, 0.2, 0.8];

  it('prefers the stricter level when the wider one is better by one run only (not significant)', () => {
    const all = base.map((x, i) => (i === 1 ? x + 0.05 : x));
    const ranked = rankSettings([setting(all, 'all'), setting(base, 'error')]);
    expect(ranked.map((r) => r.index)).toEqual([1, 0]);
    expect(ranked[1].tiedWithBest).toBe(true);
    expect(ranked[0].tVsBest).toBeCloseTo(1, 12);
  });

  it('takes the wider level when it is better in every run', () => {
    const all = base.map((x) => x + 0.05);
    const ranked = rankSettings([setting(base, 'error'), setting(all, 'all')]);
    expect(ranked.map((r) => r.index)).toEqual([1, 0]);
    expect(ranked[1].tiedWithBest).toBe(false);
  });

  it('among tied settings orders by level, then mean F1; untied ones follow by mean F1', () => {
    const near = base.map((x, i) => (i === 2 ? x - 0.02 : x));
    const far = base.map((x) => x - 0.3);
    const ranked = rankSettings([
      setting(far, 'error'),
      setting(base, 'all'),
      setting(near, 'error'),
      setting(base, 'error'),
      setting(near, 'warn'),
    ]);
    expect(ranked.map((r) => r.index)).toEqual([3, 2, 4, 1, 0]);
    expect(ranked.map((r) => r.tiedWithBest)).toEqual([true, true, true, true, false]);
  });
});
