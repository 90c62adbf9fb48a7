// `npm run bench -- detect [epochs]`: GraphLSTM-VAE training time per epoch and scoring time per window
// (11 nodes × 10 metrics as the simulator; 44 × 7 as PetShop; 50 × 8), and streaming detector
// throughput, on this machine's TensorFlow.js backend; and what training does to the event loop of
// the thread that asks for it, trained there or in a worker thread (the train job's way).
import { printTable, timeMs } from './table.js';
import { trainDetectorModel } from '../src/detect/detector-model.js';
import { trainDetectorModelOffThread } from '../src/detect/train-off-thread.js';
import { ensureTfBackend } from '../src/detect/graph-lstm-vae/backend.js';
import { DEFAULTS as VAE, GraphLstmVae, type MetricCube } from '../src/detect/graph-lstm-vae/model.js';
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
    [11, 10],
    [44, 7],
    [50, 8],
  ]) {
    const windows = 256;
    let model: GraphLstmVae | undefined;
    // Patience above the epoch count: every epoch runs, so time / epoch is a plain mean.
    const steps = Math.round((windows + 29) / 0.75);
    const trainMs = await timeMs(async () => {
      model = await GraphLstmVae.train(cube(steps, n, f, 1), { epochs, patience: epochs + 1, maxWindows: windows });
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
    `GraphLSTM-VAE (hidden ${VAE.hidden}, latent ${VAE.latent}, ${VAE.layers}+${VAE.layers} layers, window ${VAE.window}, batch ${VAE.batchSize}; an epoch = the training windows plus scoring the validation ones; score = ${VAE.samples} Monte Carlo draws)`,
    ['system', 'backend', 'epochs', 'train windows', 's / epoch', 'train ms / window', 'score ms / window'],
    rows,
  );

  await eventLoopDuringTraining(epochs);

  const points = 200_000;
  const xs = Array.from({ length: points }, (_, i) => Math.sin(i / 50) + ((i * 7919) % 101) / 500);
  const detectors: Array<[string, () => StreamingDetector]> = [
    ['robust-z (window 60)', () => createRobustZ()],
    ['ewma', () => createEwma()],
    ['spot (nInit 1000)', () => createSpot({ nInit: 1000, side: 'both', level: 0.95, q: 1e-3 })],
    ['dspot (depth 10)', () => createSpot({ nInit: 1000, side: 'both', level: 0.95, q: 1e-3, depth: 10 })],
  ];
  const srows: Array<Array<string | number>> = [];
  for (const [name, make] of detectors) {
    const ms = await timeMs(() => runStreaming(make(), xs));
    srows.push([name, points, ms, (points / ms) * 1000]);
  }
  printTable('Streaming detectors, one series', ['detector', 'points', 'ms', 'points / s'], srows);
}

/** Trains the PetShop-sized model here and in a worker, watching this thread's event loop meanwhile. */
async function eventLoopDuringTraining(epochs: number): Promise<void> {
  const data = cube(Math.round((256 + 29) / 0.75), 44, 7, 1);
  const req = { cube: data, stepS: 300, system: 'bench', falsePerDay: 1, trainedAt: 0 };
  const vae = { epochs, patience: epochs + 1, maxWindows: 256 };
  const rows: Array<Array<string | number>> = [];
  for (const where of ['this thread', 'worker thread'] as const) {
    // The longest gap between heartbeats is how long this thread could not answer anything.
    let beats = 0;
    let last = performance.now();
    let longest = 0;
    const beat = setInterval(() => {
      const t = performance.now();
      longest = Math.max(longest, t - last);
      last = t;
      beats++;
    }, 10);
    const ms = await timeMs(async () => {
      if (where === 'worker thread') await trainDetectorModelOffThread({ ...req, vae });
      else (await trainDetectorModel({ ...req, vae })).vae.dispose();
    });
    clearInterval(beat);
    longest = Math.max(longest, performance.now() - last);
    rows.push([where, epochs, ms / 1000, longest, beats, Math.floor(ms / 10)]);
  }
  printTable(
    "Training the 44 × 7 model: the calling thread's event loop meanwhile (a 10 ms heartbeat)",
    ['trained in', 'epochs', 'wall s', 'longest stall ms', 'heartbeats', 'heartbeats due'],
    rows,
  );
}
