import { describe, expect, it } from 'vitest';
import {
  fitStandardiser,
  isValidationStep,
  normalisedAdjacency,
  spliceBreaks,
  standardise,
  validationBlocks,
} from '../../../src/detect/graph-lstm-vae/data.js';
import { GraphLstmVae, type MetricCube } from '../../../src/detect/graph-lstm-vae/model.js';

/** Sinusoids with a per-node phase plus seeded noise: values[(t·N + i)·F + k]. */
function cube(steps: number, n: number, f: number, seed: number): MetricCube {
  const values = new Float32Array(steps * n * f);
  let s = seed;
  const r = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  for (let t = 0; t < steps; t++)
    for (let i = 0; i < n; i++)
      for (let k = 0; k < f; k++) values[(t * n + i) * f + k] = Math.sin((t + i) / 4 + k) + 0.1 * r();
  const nodes = Array.from({ length: n }, (_, i) => `s${i}`);
  return {
    nodes,
    features: ['a', 'b'].slice(0, f),
    steps,
    values,
    edges: nodes.slice(1).map((x, i) => [nodes[i], x] as [string, string]),
  };
}

describe('GraphLSTM-VAE data preparation', () => {
  it('normalises the adjacency symmetrically, by hand', () => {
    // path a–b–c with self loops: degrees 2, 3, 2
    const a = normalisedAdjacency(
      ['a', 'b', 'c'],
      [
        ['a', 'b'],
        ['c', 'b'],
        ['a', 'zz'],
      ],
    );
    expect(a[0]).toBeCloseTo(1 / 2, 6);
    expect(a[1]).toBeCloseTo(1 / Math.sqrt(6), 6);
    expect(a[2]).toBe(0);
    expect(a[4]).toBeCloseTo(1 / 3, 6);
    expect(a[3]).toBeCloseTo(a[1], 6);
  });

  it('standardises, forward-fills gaps and clips', () => {
    const v = Float32Array.from([1, 3, NaN, 1e6]);
    const st = fitStandardiser(Float32Array.from([1, 3, 1, 3, 1, 3, 1, 3, 1, 3]), 10, 1); // mean 2, std 1
    expect(Array.from(standardise(v, 4, Int32Array.from([0]), st))).toEqual([-1, 1, 1, 10]);
  });

  it('holds a column seen too rarely in training at 0, and fits only the steps it is told to use', () => {
    const rare = fitStandardiser(Float32Array.from([1, 3, NaN, NaN]), 4, 1);
    expect(rare.std[0]).toBe(0);
    expect(Array.from(standardise(Float32Array.from([5, 7]), 2, Int32Array.from([0]), rare))).toEqual([0, 0]);
    const values = Float32Array.from({ length: 20 }, (_, t) => (t < 10 ? (t % 2 ? 3 : 1) : 100));
    const firstHalf = fitStandardiser(values, 20, 1, (t) => t < 10);
    expect(firstHalf.mean[0]).toBe(2);
    expect(firstHalf.std[0]).toBe(1);
  });

  it('holds out interleaved validation blocks of at least a window', () => {
    const v = validationBlocks(288, 30, 0.25);
    expect(v).toEqual({ block: 36, every: 4, phase: 2 });
    const held = Array.from({ length: 288 }, (_, t) => t).filter((t) => isValidationStep(v, t));
    expect(held.length).toBe(72);
    expect(held[0]).toBe(72);
    expect(held).toContain(216);
  });

  it('splices a jump in time out of every column: the first value after it continues the level before', () => {
    // two columns; break at step 3; column 0 jumps by +10, column 1 has a gap right after the break
    const values = Float32Array.from([1, 5, 2, 5, 3, 5, 13, NaN, 14, 9, 15, 9]);
    const out = spliceBreaks(values, 6, 2, [3], 2);
    expect(Array.from(out.filter((_, i) => i % 2 === 0))).toEqual([1, 2, 3, 2.5, 3.5, 4.5]);
    expect(Array.from(out.filter((_, i) => i % 2 === 1))).toEqual([5, 5, 5, NaN, 5, 5]);
  });
});

describe('GraphLSTM-VAE', () => {
  it('trains, scores an injected anomaly above normal, round-trips, and masks a new node', async () => {
    const opts = { window: 8, epochs: 12, maxWindows: 64, batchSize: 16, seed: 3 };
    const model = await GraphLstmVae.train(cube(80, 4, 2, 7), opts);
    const test = cube(40, 4, 2, 11);
    test.values[(30 * 4 + 1) * 2] += 4; // node s1, feature a, step 30
    const s = await model.score(test);
    expect(s.ends[0]).toBe(7);
    const at = (end: number, node: number) => s.perNode[(end - 7) * 4 + node];
    const normal = Array.from({ length: 20 }, (_, e) => at(e + 8, 1));
    expect(at(30, 1)).toBeGreaterThan(3 * Math.max(...normal));
    expect(s.topology.action).toBe('none');

    const again = await GraphLstmVae.fromArtifacts(JSON.parse(JSON.stringify(await model.toArtifacts())));
    expect(Array.from((await again.score(test)).overall)).toEqual(Array.from(s.overall));

    const changed = { ...test, nodes: ['s0', 's1', 's2', 'new'] };
    const c = await model.score(changed);
    expect(c.topology).toEqual({ added: ['new'], removed: ['s3'], action: 'masked' });
    expect(Number.isNaN(c.perNode[3])).toBe(true);
    expect(Number.isFinite(c.overall[0])).toBe(true);
    model.dispose();
    again.dispose();
  });
});
