import { describe, expect, it } from 'vitest';
import { pageRank, rowsFromEdges } from '../../src/rca/pagerank.js';
import { suspiciousness } from '../../src/rca/spectrum.js';

describe('pageRank', () => {
  it('is uniform on a directed cycle', () => {
    const pr = pageRank(
      rowsFromEdges(3, [
        [0, 1, 1],
        [1, 2, 1],
        [2, 0, 1],
      ]),
    );
    for (const x of pr) expect(x).toBeCloseTo(1 / 3, 9);
  });

  it('matches the closed form on a two-node graph a→b with b dangling', () => {
    // x_a = (1−d)/2 + d·x_b/2, x_b = (1−d)/2 + d·x_a + d·x_b/2 (b's mass is spread uniformly).
    const d = 0.85;
    const pr = pageRank(rowsFromEdges(2, [[0, 1, 1]]), undefined, { damping: d });
    const xa = 1 / (2 + d); // solve the pair with x_a + x_b = 1
    expect(pr[0]).toBeCloseTo(xa, 8);
    expect(pr[1]).toBeCloseTo(1 - xa, 8);
  });

  it('personalisation pulls mass towards the preferred node', () => {
    const g = rowsFromEdges(3, [
      [0, 1, 1],
      [1, 0, 1],
      [1, 2, 1],
      [2, 1, 1],
    ]);
    const pr = pageRank(g, Float64Array.from([0, 0, 1]));
    expect(pr[2]).toBeGreaterThan(pr[0]);
  });
});

describe('spectrum formulas', () => {
  const c = { ef: 4, ep: 1, nf: 1, np: 9 };
  it('Ochiai = ef / sqrt((ef+nf)(ef+ep))', () =>
    expect(suspiciousness(c, 'ochiai')).toBeCloseTo(4 / Math.sqrt(5 * 5), 12));
  it('DStar2 = ef² / (ep+nf)', () => expect(suspiciousness(c, 'dstar2')).toBeCloseTo(16 / 2, 12));
  it('Tarantula = (ef/F) / (ef/F + ep/P)', () =>
    expect(suspiciousness(c, 'tarantula')).toBeCloseTo(0.8 / (0.8 + 0.1), 12));
  it('an operation never seen failing scores 0', () => expect(suspiciousness({ ef: 0, ep: 3, nf: 5, np: 2 })).toBe(0));
});
