import { describe, expect, it } from 'vitest';
import { fitFusion, objective, rankUnder, type PreparedCase } from '../../src/rca/fit-fusion.js';
import { COMPONENTS, defaultWeights, type Component } from '../../src/rca/weights.js';

function prepared(truth: { stats: number; walk: number }, rival: { stats: number; walk: number }): PreparedCase {
  const comp = Object.fromEntries(COMPONENTS.map((c) => [c, new Float64Array(2)])) as Record<Component, Float64Array>;
  comp.stats.set([truth.stats, rival.stats]);
  comp.walk.set([truth.walk, rival.walk]);
  return { nodes: ['cause', 'rival'], comp, prior: new Float64Array(2), own: {}, vouched: new Uint8Array(2), truth: 0 };
}

describe('fitFusion', () => {
  it('finds weights that rank the cause first on every dataset when one component alone cannot', () => {
    const statsWins = [prepared({ stats: 1, walk: 0.4 }, { stats: 0.6, walk: 0.5 })];
    const walkWins = [prepared({ stats: 0.5, walk: 1 }, { stats: 0.6, walk: 0.2 })];
    const only = (c: Component) =>
      Object.fromEntries(COMPONENTS.map((k) => [k, k === c ? 1 : 0])) as Record<Component, number>;
    expect(rankUnder(walkWins[0], only('stats'))).toBe(2);
    expect(rankUnder(statsWins[0], only('walk'))).toBe(2);
    const fit = fitFusion([statsWins, walkWins], defaultWeights().fusion);
    expect(rankUnder(statsWins[0], fit.fusion)).toBe(1);
    expect(rankUnder(walkWins[0], fit.fusion)).toBe(1);
    expect(fit.score).toBe(1);
    // Components no case exercises keep their prior share.
    expect(fit.fusion.logs).toBeCloseTo(defaultWeights().fusion.logs, 10);
  });

  it('keeps the prior when no training case exercises any component (evidence ablated away)', () => {
    const blank = prepared({ stats: 0, walk: 0 }, { stats: 0, walk: 0 });
    const prior = defaultWeights().fusion;
    const sum = COMPONENTS.reduce((s, c) => s + prior[c], 0);
    const fit = fitFusion([[blank]], prior);
    for (const c of COMPONENTS) expect(fit.fusion[c]).toBeCloseTo(prior[c] / sum, 10);
  });

  it('scores a dataset by (AC@1 + Avg@5) / 2', () => {
    expect(objective([1, 1])).toBe(1);
    expect(objective([2])).toBeCloseTo((0 + 0.8) / 2, 10);
    expect(objective([0])).toBe(0);
  });
});
