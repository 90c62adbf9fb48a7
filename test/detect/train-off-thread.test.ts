import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { isRootgraphError } from '../../src/errors.js';
import { fromDetectorModelJson, trainDetectorModel } from '../../src/detect/detector-model.js';
import type { MetricCube } from '../../src/detect/graph-lstm-vae/model.js';
import { trainDetectorModelOffThread } from '../../src/detect/train-off-thread.js';
import { mulberry32 } from '../../src/util/seeded-random.js';

/** Sinusoids with a per-node phase plus seeded noise, over a chain a–b–c. */
function cube(steps: number, seed: number): MetricCube {
  const n = 3;
  const f = 2;
  const r = mulberry32(seed);
  const values = new Float32Array(steps * n * f);
  for (let t = 0; t < steps; t++)
    for (let i = 0; i < n; i++)
      for (let k = 0; k < f; k++) values[(t * n + i) * f + k] = Math.sin((t + i) / 4 + k) + 0.1 * (r() - 0.5);
  return {
    nodes: ['a', 'b', 'c'],
    features: ['cpu', 'latency_p99'],
    steps,
    values,
    edges: [
      ['a', 'b'],
      ['b', 'c'],
    ],
  };
}

const VAE = { window: 8, epochs: 2, maxWindows: 64, batchSize: 16, samples: 2 };

describe('training off the main thread', () => {
  it('trains in a worker thread while this thread keeps running, and hands back the same model as training here', async () => {
    const data = cube(160, 1);
    const req = { cube: data, stepS: 60, system: 'shop', falsePerDay: 1, vae: VAE, trainedAt: 1_000 };
    const threads: number[] = [];
    const epochs: number[] = [];
    // A heartbeat on this thread's event loop: it turns while the worker trains.
    let beats = 0;
    let beating = true;
    const beat = () => {
      beats++;
      if (beating) setImmediate(beat);
    };
    setImmediate(beat);
    const json = await trainDetectorModelOffThread(req, {
      onWorker: (id) => threads.push(id),
      onEpoch: (r) => epochs.push(r.epoch),
    });
    beating = false;
    expect(threads).toHaveLength(1);
    expect(threads[0]).not.toBe(threadId);
    expect(epochs).toEqual([1, 2]);
    expect(beats).toBeGreaterThan(epochs.length);
    expect(json).toMatchObject({ system: 'shop', stepS: 60, falsePerDay: 1, trainedAt: 1_000 });

    // The same seed and backend trained on this thread give the same weights, thresholds and scores.
    const here = await trainDetectorModel({ ...req, now: () => 1_000 });
    const there = await fromDetectorModelJson(json);
    expect(there.thresholds).toEqual(JSON.parse(JSON.stringify(here.thresholds)));
    const test = cube(40, 9);
    expect(Array.from((await there.vae.score(test)).overall)).toEqual(Array.from((await here.vae.score(test)).overall));
    here.vae.dispose();
    there.vae.dispose();
  }, 120_000);

  it("passes the worker's input error back as one", async () => {
    const err = await trainDetectorModelOffThread({
      cube: cube(12, 2),
      stepS: 60,
      system: 'shop',
      falsePerDay: 1,
      vae: VAE,
      trainedAt: 0,
    }).catch((e: unknown) => e);
    expect(isRootgraphError(err, 'INPUT_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/needs/);
  }, 60_000);
});
