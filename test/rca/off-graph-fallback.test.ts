import { describe, expect, it } from 'vitest';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { componentScores, rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { syntheticCase } from './helpers.js';

/** The small case (a's latency rises) plus `idle`: a service no call edge reaches, not a host, whose CPU steps by `step`. */
function graphComponentsOfIdle(step: number) {
  const input = syntheticCase(5, { a: { latency: 1.5 }, fe: { latency: 0.75 } });
  const rng = seededRng(9);
  input.series = [
    ...input.series,
    {
      entity: 'idle',
      metric: 'cpu_usage',
      values: Float64Array.from(input.timestamps, (_, i) => 10 + rng() * 2 + (i >= 60 ? step : 0)),
    },
  ];
  input.hosts = [];
  const a = analyseCase(input);
  const j = a.graph.index.get('idle') as number;
  const c = componentScores(a, defaultWeights(), 'fused', seededRng(1));
  return { stats: c.stats[j], walk: c.walk[j], traversal: c.traversal[j] };
}

describe('a service off the call graph', () => {
  it('gets no graph score from its noise: a service no call reaches cannot explain the alarm by chance', () => {
    const idle = graphComponentsOfIdle(1.5);
    expect(idle.stats).toBeGreaterThan(0);
    // Only the traversal's own (small) score for a node without paths; not its statistics.
    expect(idle.traversal).toBeLessThan(idle.stats / 2);
  });

  it("gives the alarm's entry no score from the walk's restarts alone when no edge joins it", () => {
    // The topology leaves the load balancer the alarm was raised on out; it moved not at all.
    const input = syntheticCase(5, { c: { latency: 6, errors: 6 }, a: { latency: 3 }, fe: { latency: 2 } });
    const rng = seededRng(11);
    input.series = [
      ...input.series,
      { entity: 'lb', metric: 'latency', values: Float64Array.from(input.timestamps, () => 10 + rng() * 2) },
    ];
    input.incident = { ...input.incident, entry: 'lb' };
    const a = analyseCase(input);
    const ranked = rankRootCauses(a, defaultWeights(), { rng: seededRng(1) }).map((r) => r.entity);
    expect(ranked.at(-1)).toBe('lb');
  });

  it('falls back on its own evidence once that is an anomaly, rather than ranking last', () => {
    const idle = graphComponentsOfIdle(30);
    expect(idle.stats).toBeGreaterThan(0);
    expect(idle.walk).toBe(idle.stats);
    expect(idle.traversal).toBe(idle.stats);
  });
});
