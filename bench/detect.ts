// `npm run bench -- detect [epochs]`: GraphLSTM-VAE training and scoring time (12 nodes; 50 nodes × 8
// metrics) and streaming detector throughput, on this machine's TensorFlow.js backend.
import { printTable, timeMs } from './table.js';
import { ensureTfBackend } from '../src/detect/graph-lstm-vae/backend.js';
import { GraphLstmVae, type MetricCube } from '../src/detect/graph-lstm-vae/model.js';
import { createEwma } from '../src/detect/ewma.js';
import { createRobustZ } from '../src/detect/robust-z.js';
import { createSpot } from '../src/detect/spot.js';
import { runStreaming, type StreamingDetector } from '../src/detect/streaming.js';

/** Seeded sinusoid-plus-noise cube over a chain topology. */
function cube(steps: number, n: number, f: number, seed: number): MetricCube {
  const values = new Float32Array(steps * n * f);
  let s = seed;
  const r = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  for (let t = 0; t < steps; t++)
    for (let i = 0; i < n; i++)
      for (let k = 0; k < f; k++) values[(t * n + i) * f + k] = Math.sin((t + i) / 7 + k) + 0.1 * r();
  const nodes = Array.from({ length: n }, (_, i) => `s${i}`);
  return {
    nodes,
    features: Array.from({ length: f }, (_, k) => `m${k}`),
    steps,
    values,
    edges: nodes.slice(1).map((x, i) => [nodes[Math.floor(i / 2)], x] as [string, string]),
  };
}

export async function run(args: string[]): Promise<void> {
  const epochs = Number(args[0] ?? 3);
  const backend = await ensureTfBackend();
  const rows: Array<Array<string | number>> = [];
  for (const [n, f] of [
    [12, 5],
    [50, 8],
  ]) {
    const windows = 256;
    let model: GraphLstmVae | undefined;
    const trainMs = await timeMs(async () => {
      model = await GraphLstmVae.train(cube(windows + 29, n, f, 1), { epochs, maxWindows: windows });
    });
    const test = cube(29 + 128, n, f, 2);
    const scoreMs = await timeMs(() => model!.score(test));
    model!.dispose();
    rows.push([
      `${n} nodes × ${f} metrics`,
      backend,
      epochs,
      windows,
      trainMs / epochs / 1000,
      trainMs / epochs / windows,
      scoreMs / 128,
    ]);
  }
  printTable(
    'GraphLSTM-VAE (hidden 5, latent 3, 2+2 layers, window 30, batch 32)',
    ['system', 'backend', 'epochs', 'train windows', 's / epoch', 'train ms / window', 'score ms / window'],
    rows,
  );

  const points = 200_000;
  const xs = Array.from({ length: points }, (_, i) => Math.sin(i / 50) + ((i * 7919) % 101) / 500);
  const detectors: Array<[string, () => StreamingDetector]> = [
    ['robust-z (window 60)', () => createRobustZ()],
    ['ewma', () => createEwma()],
    ['spot (nInit 1000)', () => createSpot({ nInit: 1000, side: 'both', level: 0.98, q: 1e-3 })],
    ['dspot (depth 10)', () => createSpot({ nInit: 1000, side: 'both', level: 0.98, q: 1e-3, depth: 10 })],
  ];
  const srows: Array<Array<string | number>> = [];
  for (const [name, make] of detectors) {
    const ms = await timeMs(() => runStreaming(make(), xs));
    srows.push([name, points, ms, (points / ms) * 1000]);
  }
  printTable('Streaming detectors, one series', ['detector', 'points', 'ms', 'points / s'], srows);
}
