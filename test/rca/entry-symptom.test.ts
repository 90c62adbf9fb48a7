import { describe, expect, it } from 'vitest';
import { analyseCase, type RcaInput } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { syntheticCase } from './helpers.js';

const top = (input: RcaInput) => rankRootCauses(analyseCase(input), defaultWeights(), { rng: seededRng(1) })[0].entity;

// c's CPU: flat with a little wobble, then `lift` higher from the incident on.
function withCpu(input: RcaInput, lift: number): RcaInput {
  const values = Float64Array.from(
    input.timestamps,
    (t, i) => 1 + ((i * 7) % 5) * 0.01 + (t >= input.incident.start ? lift : 0),
  );
  return { ...input, series: [...input.series, { entity: 'c', metric: 'cpu_usage', values }] };
}

describe("the alarm's own SLI at the entry is the symptom", () => {
  const latencyOf = (input: RcaInput, entity: string) => {
    const a = analyseCase(input);
    return a.z[(a.graph.index.get(entity) as number) * a.types.length + a.types.indexOf('latency')];
  };

  it("another node's own anomaly explains it: the entry's SLI moves stop counting, that node ranks first", () => {
    const input = withCpu(syntheticCase(4, { fe: { latency: 80 } }), 3);
    expect(latencyOf(input, 'fe')).toBe(0);
    expect(top(input)).toBe('c');
  });

  it('with nothing else anomalous the entry keeps its evidence and ranks first (a fault in the entry itself)', () => {
    const input = withCpu(syntheticCase(4, { fe: { latency: 80 } }), 0);
    expect(latencyOf(input, 'fe')).toBeGreaterThan(20);
    expect(top(input)).toBe('fe');
  });
});
