import { describe, expect, it } from 'vitest';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { syntheticCase } from './helpers.js';

describe('explanation values', () => {
  it('keeps a small measured value: a latency in the tens of microseconds does not read 0 → 0', () => {
    const input = syntheticCase(3, { c: { latency: 40 } });
    // The same case in seconds of 1e-5: every move and z the same, the values tiny.
    input.series = input.series.map((s) => ({ ...s, values: s.values.map((v) => v * 1e-5) }));
    const top = rankRootCauses(analyseCase(input), defaultWeights(), { rng: seededRng(1) })[0];
    expect(top.entity).toBe('c');
    const move = top.explanation.metrics.find((m) => m.metric === 'latency')!;
    expect(move.normal).toBeGreaterThan(9e-5);
    expect(move.peak).toBeGreaterThan(4.5e-4);
    const window = input.series.find((s) => s.entity === 'c' && s.metric === 'latency')!.values.slice(60);
    expect(move.peak).toBeCloseTo(Math.max(...window), 8);
  });
});
