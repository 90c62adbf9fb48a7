import { describe, expect, it } from 'vitest';
import { analyseCase, type RcaInput } from '../../src/rca/analyse-case.js';
import { componentScores } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { steppedSeries, syntheticCase } from './helpers.js';

describe('the traversal behind a caller whose symptom a bystander explains away', () => {
  // fe → a → c is slow from c; b, also called by a, had its memory grow. b is a cache that reports no
  // SLIs, so whether a felt it is unknown: its memory explains a's latency for the node evidence.
  const bystander = (): RcaInput => {
    const input = syntheticCase(5, { fe: { latency: 60 }, a: { latency: 60 }, c: { latency: 60 } });
    input.series = input.series.filter((s) => s.entity !== 'b');
    input.topology = [
      { source: 'fe', target: 'a' },
      { source: 'a', target: 'b' },
      { source: 'a', target: 'c' },
    ];
    for (const e of ['fe', 'a', 'b', 'c'])
      input.series = [
        ...input.series,
        steppedSeries(input, e, 'cpu_usage', 1, 0),
        steppedSeries(input, e, 'memory_usage', 100, e === 'b' ? 80 : 0),
      ];
    return input;
  };
  const traversal = (input: RcaInput) => {
    const a = analyseCase(input);
    const score = componentScores(a, defaultWeights(), 'traversal', seededRng(1)).traversal;
    return (e: string) => score[a.graph.index.get(e) as number];
  };

  it("still follows the caller's latency to the slow callee and calls it a root", () => {
    const input = bystander();
    const a = analyseCase(input);
    const latency = a.types.indexOf('latency');
    // The bystander's memory does explain a's latency away for the node evidence (the cap) …
    expect(a.z[(a.graph.index.get('a') as number) * a.types.length + latency]).toBeLessThan(3);
    // … but the traversal still walks fe → a → c: c is a root (score in the root band), above a.
    const score = traversal(input);
    expect(score('c')).toBeGreaterThanOrEqual(0.5);
    expect(score('a')).toBeLessThan(score('c'));
  });

  it('calls no root below a caller that showed nothing', () => {
    const input = bystander();
    input.series = input.series.map((s) =>
      s.entity === 'a' && s.metric === 'latency' ? steppedSeries(input, 'a', 'latency', 11, 0) : s,
    );
    expect(traversal(input)('c')).toBeLessThan(0.5);
  });
});
