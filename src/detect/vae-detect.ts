/**
 * GraphLSTM-VAE detection over a replayed case: train on the history rows, score every window in
 * replay order, flag a step when its score exceeds the adaptive threshold τ chosen over the recent
 * scores (adaptive-threshold.ts), per node and for the system as a whole.
 */
import { chooseThreshold } from './adaptive-threshold.js';
import type { AnomalyRecord } from './anomaly.js';
import type { DetectorRun, SeriesInput } from './detect-series.js';
import { alarmsToEvents } from './events.js';
import { GraphLstmVae, type MetricCube, type VaeOptions } from './graph-lstm-vae/model.js';
import { declareIncidents } from './incident-rule.js';
import type { ReplayPlan } from './plan.js';

/** Knobs of the VAE-based detection. */
export const DEFAULTS = {
  /** Recent scores τ is chosen over. */
  recent: 288,
  /** Scores needed before τ is trusted. */
  minScores: 30,
  /** Minimum separation d for an upper group to count (see adaptive-threshold.ts). */
  minSeparation: 0.3,
};

/** Builds the node × feature cube of `series` with rows taken in `order`. Pure. */
export function toCube(
  series: readonly SeriesInput[],
  order: readonly number[],
  edges: Array<[string, string]>,
): MetricCube {
  const nodes = [...new Set(series.map((s) => s.entity))].sort();
  const features = [...new Set(series.map((s) => s.metric))].sort();
  const ni = new Map(nodes.map((s, i) => [s, i]));
  const fi = new Map(features.map((s, i) => [s, i]));
  const n = nodes.length;
  const f = features.length;
  const values = new Float32Array(order.length * n * f).fill(NaN);
  for (const s of series) {
    const base = ni.get(s.entity)! * f + fi.get(s.metric)!;
    for (let j = 0; j < order.length; j++) values[j * n * f + base] = s.values[order[j]];
  }
  return { nodes, features, steps: order.length, values, edges };
}

/** Alarms where each score exceeds τ over the `recent` scores up to and including it. Pure. */
export function adaptiveAlarms(scores: ArrayLike<number>, o: typeof DEFAULTS = DEFAULTS): Uint8Array {
  const out = new Uint8Array(scores.length);
  for (let t = 0; t < scores.length; t++) {
    if (!Number.isFinite(scores[t])) continue;
    const from = Math.max(0, t - o.recent + 1);
    const recent = Array.prototype.slice.call(scores, from, t + 1) as number[];
    if (recent.filter(Number.isFinite).length < o.minScores) continue;
    out[t] = scores[t] > chooseThreshold(recent, { minSeparation: o.minSeparation }).tau ? 1 : 0;
  }
  return out;
}

/** Result of a VAE run: the common detector outcome plus what the model did about topology. */
export interface VaeRun extends DetectorRun {
  topology: { added: string[]; removed: string[]; action: 'none' | 'masked' };
  trainLoss: number[];
}

/**
 * Trains on `plan.history` rows (or uses `model`), scores the whole replay and derives anomalies
 * (per node, metric `*`) and incidents (from the overall score).
 */
export async function runVaeDetector(opts: {
  series: readonly SeriesInput[];
  timestamps: Float64Array;
  plan: ReplayPlan;
  edges: Array<[string, string]>;
  vae?: Partial<VaeOptions>;
  model?: GraphLstmVae;
  threshold?: Partial<typeof DEFAULTS>;
  incident?: Partial<{ k: number; m: number; quiet: number }>;
  onEpoch?: (epoch: number, loss: number) => void;
}): Promise<VaeRun> {
  const th = { ...DEFAULTS, ...opts.threshold };
  const cube = toCube(opts.series, opts.plan.order, opts.edges);
  const trainLoss: number[] = [];
  const model =
    opts.model ??
    (await GraphLstmVae.train(
      {
        ...cube,
        steps: opts.plan.history,
        values: cube.values.subarray(0, opts.plan.history * cube.nodes.length * cube.features.length),
      },
      {
        ...opts.vae,
        onEpoch: (e, l) => {
          trainLoss.push(l);
          opts.onEpoch?.(e, l);
        },
      },
    ));
  const scored = await model.score(cube);
  if (!opts.model) model.dispose();
  const len = opts.plan.order.length;
  const n = scored.nodes.length;
  const stamp = (j: number) => opts.timestamps[opts.plan.order[j]];
  const overall = new Float64Array(len).fill(NaN);
  scored.ends.forEach((e, w) => {
    overall[e] = scored.overall[w];
  });
  const sloAlarms = adaptiveAlarms(overall, th);
  const anomalies: AnomalyRecord[] = [];
  const col = new Float64Array(len);
  for (let i = 0; i < n; i++) {
    col.fill(NaN);
    scored.ends.forEach((e, w) => {
      col[e] = scored.perNode[w * n + i];
    });
    const alarms = adaptiveAlarms(col, th);
    for (const ev of alarmsToEvents(alarms, 1)) {
      let score = 0;
      for (let j = ev.start; j <= ev.end; j++) if (alarms[j]) score = Math.max(score, col[j]);
      anomalies.push({
        entity: scored.nodes[i],
        metric: '*',
        start: stamp(ev.start),
        end: stamp(ev.end),
        score,
        detector: 'graph-lstm-vae',
      });
    }
  }
  return {
    detector: 'graph-lstm-vae',
    anomalies,
    sloAlarms,
    incidents: declareIncidents(sloAlarms, { ...opts.incident, breaks: opts.plan.breaks }),
    topology: scored.topology,
    trainLoss,
  };
}
