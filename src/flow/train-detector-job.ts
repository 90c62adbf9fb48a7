/**
 * The training job: keeps a system's GraphLSTM-VAE detector fresh. Scheduled often (say every 15
 * minutes), it trains only when needed — no model yet, a model trained at another resolution, a
 * call topology that changed since training, or a model older than `maxAgeS` — on the last
 * `lookbackS` seconds of metrics, reports progress per epoch, and saves the model with the graph
 * (src/detect/detector-model.ts). It runs on its own queue, and the training itself runs in a worker
 * thread (src/detect/train-off-thread.ts), so a minute of TensorFlow.js never blocks ingestion.
 */
import { z } from 'zod';
import type { GraphStore } from '../graph/graph-store.js';
import type { CallTopology } from '../detect/call-topology.js';
import { readCallTopology } from './read-call-topology.js';
import { DEFAULT_FALSE_PER_DAY, type DetectorModel } from '../detect/detector-model.js';
import { trainDetectorModelOffThread } from '../detect/train-off-thread.js';
import { loadDetectorModel, saveDetectorModelJson } from '../incidents/detector-model-store.js';
import { DEFAULTS as VAE } from '../detect/graph-lstm-vae/model.js';
import { toCube } from '../detect/vae-detect.js';
import type { MetricSource } from '../ports/metric-source.js';
import type { FlowResult } from './flow-result.js';

/** Train (when needed) the detector model of `system` on the last `lookbackS` seconds at `stepS`. */
export const TrainDetectorPayload = z.object({
  system: z.string().min(1).optional(),
  lookbackS: z.number().int().positive(),
  stepS: z.number().int().positive(),
  entities: z.array(z.string()).optional(),
  /** Retrain a model older than this many seconds (default a day). */
  maxAgeS: z.number().int().positive().optional(),
  /** The false-alarm budget the thresholds are calibrated for (ROOTGRAPH_DETECT_FALSE_PER_DAY). */
  falsePerDay: z.number().positive().optional(),
  /** At most this many epochs (early stopping usually ends sooner). */
  epochs: z.number().int().positive().optional(),
  /** Train even when the model is fresh. */
  force: z.boolean().optional(),
});
export type TrainDetectorJobInput = z.infer<typeof TrainDetectorPayload>;

/** Why the job trained, or why it did not. */
export type TrainReason =
  'no-model' | 'other-resolution' | 'topology-changed' | 'stale' | 'forced' | 'fresh' | 'not-enough-data';

export type TrainSummary = {
  system: string;
  trained: boolean;
  reason: TrainReason;
  version?: number;
  epochs?: number;
  bestEpoch?: number;
  nodes?: number;
  steps?: number;
};

/** Runs one check-and-train pass at `now()`. Idempotent: a fresh model is left alone. */
export async function runTrainDetectorJob(
  input: TrainDetectorJobInput,
  ports: {
    graph: GraphStore;
    metrics: MetricSource;
    now: () => number;
    progress?: (pct: number) => Promise<void> | void;
  },
): Promise<FlowResult<TrainSummary>> {
  const system = input.system ?? 'default';
  const topology = await readCallTopology(ports.graph);
  const current = await loadDetectorModel(ports.graph, system);
  const entities = input.entities ?? [...new Set((await ports.metrics.listSeries()).map((s) => s.entity))].sort();
  const reason = whyTrain(input, current, topology, entities, ports.now());
  current?.vae.dispose();
  if (reason === 'fresh') return { summary: { system, trained: false, reason }, next: [] };
  const to = Math.floor(ports.now() / 1000 / input.stepS) * input.stepS;
  const raw = await ports.metrics.query({ entities, from: to - input.lookbackS, to, stepS: input.stepS });
  const timestamps = raw[0]?.timestamps ?? new Float64Array();
  const series = raw.filter((s) => s.values.length === timestamps.length);
  // Enough for training windows outside the interleaved validation blocks.
  if (timestamps.length < 8 * VAE.window)
    return { summary: { system, trained: false, reason: 'not-enough-data', steps: timestamps.length }, next: [] };
  const cube = toCube(
    series,
    Array.from({ length: timestamps.length }, (_, i) => i),
    topology.edges,
  );
  const model = await trainDetectorModelOffThread(
    {
      cube,
      stepS: input.stepS,
      system,
      falsePerDay: input.falsePerDay ?? DEFAULT_FALSE_PER_DAY,
      vae: input.epochs ? { epochs: input.epochs } : {},
      trainedAt: ports.now(),
    },
    { onEpoch: (r) => void ports.progress?.(Math.round((100 * r.epoch) / r.epochs)) },
  );
  // Its age counts from when it was ready.
  model.trainedAt = ports.now();
  const version = await saveDetectorModelJson(ports.graph, model, ports.now());
  await ports.progress?.(100);
  return {
    summary: {
      system,
      trained: true,
      reason,
      version,
      epochs: model.training.history.length,
      bestEpoch: model.training.bestEpoch,
      nodes: cube.nodes.length,
      steps: cube.steps,
    },
    next: [],
  };
}

/** Decides whether the stored model must be (re)trained. Pure. */
export function whyTrain(
  input: TrainDetectorJobInput,
  model: DetectorModel | undefined,
  topology: CallTopology,
  entities: readonly string[],
  now: number,
): TrainReason {
  if (input.force) return 'forced';
  if (!model) return 'no-model';
  if (model.stepS !== input.stepS) return 'other-resolution';
  const key = (xs: readonly string[]) => [...new Set(xs)].sort().join('\u0000');
  const known = new Set(entities);
  // Edges among entities that have metrics are the ones the model convolves over.
  const edges = (es: ReadonlyArray<readonly [string, string]>) =>
    key(es.filter(([a, b]) => known.has(a) && known.has(b)).map(([a, b]) => `${a}\u0001${b}`));
  if (key(model.topology.nodes) !== key(entities) || edges(model.topology.edges) !== edges(topology.edges))
    return 'topology-changed';
  if (now - model.trainedAt > (input.maxAgeS ?? 86_400) * 1000) return 'stale';
  return 'fresh';
}
