import { describe, expect, it } from 'vitest';
import { analyseCase, type RcaInput } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { steppedSeries, syntheticCase } from './helpers.js';

const top = (input: RcaInput) => rankRootCauses(analyseCase(input), defaultWeights(), { rng: seededRng(1) })[0].entity;

const latencyZ = (input: RcaInput, entity: string) => {
  const a = analyseCase(input);
  return a.z[(a.graph.index.get(entity) as number) * a.types.length + a.types.indexOf('latency')];
};

describe("an SLI move explained by a callee's own anomaly", () => {
  // The alarm: the entry's latency jumped; every service reports CPU and memory, c's memory ran away.
  // c is a store that reports no SLIs of its own: what its callers saw of it is unknown.
  const leak = (): RcaInput => {
    const input = syntheticCase(5, { fe: { latency: 60 } });
    input.series = input.series.filter((s) => s.entity !== 'c');
    for (const e of ['fe', 'a', 'b', 'c'])
      input.series = [
        ...input.series,
        steppedSeries(input, e, 'cpu_usage', 1, 0),
        steppedSeries(input, e, 'memory_usage', 100, 0),
      ];
    input.series = input.series.map((s) =>
      s.entity === 'c' && s.metric === 'memory_usage' ? steppedSeries(input, 'c', 'memory_usage', 100, 80) : s,
    );
    return input;
  };

  it("caps the caller's inclusive SLI at its own evidence and ranks the callee first", () => {
    expect(latencyZ(leak(), 'fe')).toBeLessThan(3);
    expect(top(leak())).toBe('c');
  });

  it('leaves the SLI alone when the caller has the larger anomaly of its own (the alarming service is the cause)', () => {
    const input = leak();
    input.series = input.series.map((s) =>
      s.entity === 'fe' && s.metric === 'cpu_usage' ? steppedSeries(input, 'fe', 'cpu_usage', 1, 50) : s,
    );
    expect(latencyZ(input, 'fe')).toBeGreaterThan(20);
    expect(top(input)).toBe('fe');
  });

  it("a callee's request volume explains nothing: it follows its callers", () => {
    const input = syntheticCase(5, { fe: { latency: 60 } });
    input.series = [
      ...input.series,
      steppedSeries(input, 'fe', 'cpu_usage', 1, 0),
      steppedSeries(input, 'c', 'requests_Sum', 100, -80),
    ];
    expect(latencyZ(input, 'fe')).toBeGreaterThan(20);
  });

  it("without a call graph, caps only the named entry's SLI: the alarm's entry is in front of the rest", () => {
    const input = leak();
    input.topology = [];
    const a = analyseCase(input);
    expect(a.graph.source).toBe('pc-skeleton');
    expect(latencyZ(input, 'fe')).toBeLessThan(3);
    expect(top(input)).toBe('c');
    // With no named entry nothing is known to be in front: the SLI stands.
    const unnamed = leak();
    unnamed.topology = [];
    unnamed.incident = { start: unnamed.incident.start };
    expect(latencyZ(unnamed, 'fe')).toBeGreaterThan(20);
  });

  it('a callee whose SLIs are measured and normal explains nothing: its callers saw it serve as always', () => {
    const input = leak();
    const measured = syntheticCase(5, {});
    input.series = [...input.series, ...measured.series.filter((s) => s.entity === 'c')];
    expect(latencyZ(input, 'fe')).toBeGreaterThan(20);
  });

  it("reads a calm Service's Pod as calm: the Pod's memory explains none of the callers' SLIs", () => {
    // Live shape: c's SLIs (measured, flat) are on its Service, its memory on its Pod.
    const input = leak();
    const measured = syntheticCase(5, {});
    input.series = [
      ...input.series.map((s) => (s.entity === 'c' ? { ...s, entity: 'c-pod' } : s)),
      ...measured.series.filter((s) => s.entity === 'c'),
    ];
    input.topology = [...input.topology, { source: 'c', target: 'c-pod' }];
    input.workloadOf = new Map([['c-pod', 'c']]);
    expect(latencyZ(input, 'fe')).toBeGreaterThan(20);
    // Without its Service's SLIs, what its callers saw of it is unknown: it explains them.
    input.series = input.series.filter((s) => s.entity !== 'c');
    expect(latencyZ(input, 'fe')).toBeLessThan(3);
  });

  it("a machine's anomaly explains no service's SLI", () => {
    const input = leak();
    input.series = input.series.filter((s) => !(s.entity === 'c' && s.metric === 'memory_usage'));
    input.series = [...input.series, steppedSeries(input, 'vm1', 'memory_usage', 100, 80)];
    input.hosts = ['vm1'];
    input.topology = [...input.topology, { source: 'c', target: 'vm1' }];
    expect(latencyZ(input, 'fe')).toBeGreaterThan(20);
  });
});
