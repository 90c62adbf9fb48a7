import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectorModelUid, trainDetectorModel } from '../../src/detect/detector-model.js';
import { loadDetectorModel, saveDetectorModel } from '../../src/incidents/detector-model-store.js';
import type { MetricCube } from '../../src/detect/graph-lstm-vae/model.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import { mulberry32 } from '../../src/util/seeded-random.js';

/** Sinusoids with a per-node phase plus seeded noise, over a chain a–b–c–d. */
function cube(steps: number, seed: number): MetricCube {
  const n = 4;
  const f = 2;
  const r = mulberry32(seed);
  const values = new Float32Array(steps * n * f);
  for (let t = 0; t < steps; t++)
    for (let i = 0; i < n; i++)
      for (let k = 0; k < f; k++) values[(t * n + i) * f + k] = Math.sin((t + i) / 4 + k) + 0.1 * (r() - 0.5);
  return {
    nodes: ['a', 'b', 'c', 'd'],
    features: ['cpu', 'latency_p99'],
    steps,
    values,
    edges: [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
    ],
  };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('detector model persistence', () => {
  it('saves with the graph and reloads after a restart with the same scores, thresholds and topology', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rootgraph-detector-model-'));
    dirs.push(dataDir);
    const model = await trainDetectorModel({
      cube: cube(200, 1),
      stepS: 60,
      system: 'shop',
      falsePerDay: 2,
      vae: { window: 8, epochs: 3, maxWindows: 64, batchSize: 16, samples: 2 },
      now: () => 1_000,
    });
    const graph = await MemoryGraphStore.open({ dataDir });
    expect(await loadDetectorModel(graph, 'shop')).toBeUndefined();
    expect(await saveDetectorModel(graph, model, 2_000)).toBe(1);
    await graph.flush();
    await graph.close();

    const reopened = await MemoryGraphStore.open({ dataDir });
    const again = (await loadDetectorModel(reopened, 'shop'))!;
    expect(again.version).toBe(1);
    expect(again.trainedAt).toBe(1_000);
    expect(again.falsePerDay).toBe(2);
    expect(again.topology).toEqual(model.topology);
    expect(again.thresholds).toEqual(JSON.parse(JSON.stringify(model.thresholds)));
    expect(again.training.bestEpoch).toBe(model.training.bestEpoch);
    const test = cube(60, 9);
    test.values[(50 * 4 + 2) * 2] += 5;
    const before = await model.vae.score(test);
    const after = await again.vae.score(test);
    expect(Array.from(after.overall)).toEqual(Array.from(before.overall));
    expect(Array.from(after.perNode)).toEqual(Array.from(before.perNode));

    // Saving again bumps the version; another system is separate.
    expect(await saveDetectorModel(reopened, again, 3_000)).toBe(2);
    expect((await reopened.getNode(detectorModelUid('shop')))?.label).toBe('DetectorModel');
    expect(await loadDetectorModel(reopened, 'other')).toBeUndefined();
    model.vae.dispose();
    again.vae.dispose();
    await reopened.close();
  });
});
