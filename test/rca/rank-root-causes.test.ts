import { describe, expect, it } from 'vitest';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { syntheticCase } from './helpers.js';

describe('rankRootCauses', () => {
  it('puts the entity whose metric moved most first, with an explanation and a path to the entry', () => {
    const a = analyseCase(syntheticCase(1, { c: { latency: 40 }, a: { latency: 8 }, fe: { latency: 6 } }));
    for (const method of ['stats', 'fused'] as const) {
      const r = rankRootCauses(a, defaultWeights(), { method, rng: seededRng(1) });
      expect(r[0].entity).toBe('c');
    }
    const top = rankRootCauses(a, defaultWeights(), { rng: seededRng(1) })[0];
    expect(top.explanation.metrics[0].metric).toBe('latency');
    expect(top.explanation.metrics[0].z).toBeGreaterThan(5);
    expect(top.explanation.path).toEqual(['c', 'a', 'fe']);
    expect(top.explanation.graph).toBe('topology');
  });

  it('learns a graph from metrics when there is no topology, and says so', () => {
    const input = { ...syntheticCase(2, { b: { errors: 30 } }), topology: [] };
    const a = analyseCase(input);
    expect(a.graph.source).toBe('pc-skeleton');
    expect(rankRootCauses(a, defaultWeights(), { method: 'stats', rng: seededRng(1) })[0].entity).toBe('b');
  });

  it('uses a recent change and error-log bursts as evidence', () => {
    const input = syntheticCase(3, {});
    const start = input.incident.start;
    input.changes = [{ entity: 'b', at: start - 60, description: 'rollout v2' }];
    input.logs = Array.from({ length: 20 }, (_, i) => ({
      timestamp: start + i,
      entity: 'b',
      level: 'ERROR',
      message: `connection refused to 10.0.0.${i}`,
    }));
    const r = rankRootCauses(analyseCase(input), defaultWeights(), { rng: seededRng(1) });
    expect(r[0].entity).toBe('b');
    expect(r[0].explanation.changes[0].description).toBe('rollout v2');
    expect(r[0].explanation.logTemplates[0].template).toBe('connection refused to <*>');
  });
});
