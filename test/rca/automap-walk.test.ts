import { describe, expect, it } from 'vitest';
import { stationary, transitions, walkVisits, type WalkInput } from '../../src/rca/automap-walk.js';
import { buildBehaviourGraph } from '../../src/rca/behaviour-graph.js';
import { seededRng } from '../../src/rca/rng.js';

// fe calls a and b; a calls c. One metric type; c correlates most with the front end's SLI.
function chain(corr: number[]): WalkInput {
  const g = buildBehaviourGraph({
    entities: ['fe', 'a', 'b', 'c'],
    topology: [
      { source: 'fe', target: 'a' },
      { source: 'fe', target: 'b' },
      { source: 'a', target: 'c' },
    ],
  });
  return {
    n: 4,
    out: g.out,
    in: g.in,
    start: 0,
    types: 1,
    corr: Float64Array.from(corr),
    weights: Float64Array.from([1]),
  };
}

describe('AutoMAP transitions', () => {
  it('forward ∝ attractiveness, backward scaled by ρ, self = max(0, own − best forward)', () => {
    const input = chain([0.1, 0.2, 0.1, 0.6]);
    const T = transitions(input, { rho: 0.5 });
    const row = (i: number) => {
      const m = new Map<number, number>();
      for (let x = T.rowStart[i]; x < T.rowStart[i + 1]; x++) m.set(T.cols[x], T.probs[x]);
      return m;
    };
    // Node a: forward to c (0.6), backward to fe (0.5·0.1), self max(0, 0.2 − 0.6) = 0; all over the sum 1.0 of c.
    const a = row(1);
    const total = 0.6 + 0.5 * 0.1;
    expect(a.get(3)).toBeCloseTo(0.6 / total, 12);
    expect(a.get(0)).toBeCloseTo(0.05 / total, 12);
    expect(a.get(1)).toBe(0);
    // Node c has no callees: self = its own attractiveness, backward to a = ρ·0.2.
    const c = row(3);
    expect(c.get(3)).toBeCloseTo(0.6 / (0.6 + 0.1), 12);
  });
});

describe('AutoMAP walk', () => {
  // One long walk: short walks all start at the entry and carry a transient bias the exact form lacks.
  it('visit frequencies of the first-order walk converge to the exact long-run distribution', () => {
    const input = chain([0.1, 0.3, 0.2, 0.4]);
    const exact = stationary(input, { memory: 0, restart: 0.1 });
    const mc = walkVisits(input, seededRng(7), { memory: 0, restart: 0.1, steps: 200_000, walkLength: 200_000 });
    for (let i = 0; i < 4; i++) expect(Math.abs(mc[i] - exact[i])).toBeLessThan(0.01);
  });

  it('ranks the most correlated deep node first, and is deterministic for a seed', () => {
    const input = chain([0.1, 0.2, 0.1, 0.9]);
    const v1 = walkVisits(input, seededRng(3));
    const v2 = walkVisits(input, seededRng(3));
    expect(Array.from(v1)).toEqual(Array.from(v2));
    const best = Array.from(v1).indexOf(Math.max(...v1));
    expect(best).toBe(3);
    // Flip the evidence to b and b wins instead: the ranking follows the correlations.
    const flipped = walkVisits(chain([0.1, 0.1, 0.9, 0.1]), seededRng(3));
    expect(Array.from(flipped).indexOf(Math.max(...flipped))).toBe(2);
  });

  it('a node factor (statistical evidence) can move the walk towards a weakly correlated cause', () => {
    const input = chain([0.1, 0.3, 0.3, 0.3]);
    input.nodeFactor = Float64Array.from([0.05, 0.05, 1, 0.05]);
    const v = walkVisits(input, seededRng(5));
    expect(Array.from(v).indexOf(Math.max(...v))).toBe(2);
  });
});

describe('AutoMAP second-order step', () => {
  it('a strong previous hop spreads the next move over the neighbours (CloudRanger reference rule)', () => {
    // fe → a → {c, d}; d carries nearly all the evidence. First order: a → d almost always.
    const g = buildBehaviourGraph({
      entities: ['fe', 'a', 'c', 'd'],
      topology: [
        { source: 'fe', target: 'a' },
        { source: 'a', target: 'c' },
        { source: 'a', target: 'd' },
      ],
    });
    const input: WalkInput = {
      n: 4,
      out: g.out,
      in: g.in,
      start: 0,
      types: 1,
      corr: Float64Array.from([0.01, 0.5, 0.01, 0.9]),
      weights: Float64Array.from([1]),
    };
    const opts = { restart: 0.5, steps: 60_000, walkLength: 4, rho: 0.01 };
    const first = walkVisits(input, seededRng(11), { ...opts, memory: 0 });
    const second = walkVisits(input, seededRng(11), { ...opts, memory: 0.9 });
    // fe → a has probability 1, so with memory the weights from a move towards uniform: c gains on d.
    expect(second[2] / second[3]).toBeGreaterThan(2 * (first[2] / first[3]));
  });
});
