/**
 * GraphLSTM-VAE detection over a replayed stream: the system's trained model (detector-model.ts)
 * scores every window in replay order; a step alarms when the system score exceeds its budgeted
 * threshold, or when node scores above their thresholds spread over neighbouring nodes. Jumps in
 * time are spliced out first, so levels re-anchor as for the cheap detectors.
 */
import type { AnomalyRecord } from './anomaly.js';
import type { DetectorRun, SeriesInput } from './detect-series.js';
import type { DetectorModel } from './detector-model.js';
import { alarmsToEvents } from './events.js';
import { spliceBreaks } from './graph-lstm-vae/data.js';
import type { MetricCube } from './graph-lstm-vae/model.js';
import { declareIncidents, ruleFor } from './incident-rule.js';
import { medianStepS, type ReplayPlan } from './plan.js';
import { judgeScores } from './score-threshold.js';
import { spreadAlarms } from './spread.js';

/** Knobs of VAE-based detection. */
export const DEFAULTS = {
  /** Paths that feed the incident rule: the system score, and node alarms spreading along the topology. */
  useSystem: true,
  useSpread: true,
  /** Smallest connected group of alarmed nodes that counts as spreading. */
  minEntities: 2,
};

/**
 * Builds the node × feature cube of `series` with rows taken in `order` (features: those given, else
 * every metric present, sorted; a missing series is NaN). Pure.
 */
export function toCube(
  series: readonly SeriesInput[],
  order: readonly number[],
  edges: Array<[string, string]>,
  features?: readonly string[],
): MetricCube {
  const nodes = [...new Set(series.map((s) => s.entity))].sort();
  const feats = features ? [...features] : [...new Set(series.map((s) => s.metric))].sort();
  const ni = new Map(nodes.map((s, i) => [s, i]));
  const fi = new Map(feats.map((s, i) => [s, i]));
  const n = nodes.length;
  const f = feats.length;
  const values = new Float32Array(order.length * n * f).fill(NaN);
  for (const s of series) {
    const k = fi.get(s.metric);
    if (k === undefined) continue;
    const base = ni.get(s.entity)! * f + k;
    for (let j = 0; j < order.length; j++) values[j * n * f + base] = s.values[order[j]];
  }
  return { nodes, features: feats, steps: order.length, values, edges };
}

/** Result of a VAE run: the common detector outcome plus what the model did about topology. */
export interface VaeRun extends DetectorRun {
  topology: { added: string[]; removed: string[]; action: 'none' | 'masked' };
  /** System score per replay step (NaN before the first full window). */
  scores: Float64Array;
}

/**
 * Scores the whole replay with `model` and derives anomalies (per node, metric `*`) and incidents.
 * Scores at steps ≥ `learnFrom` that stay under the threshold refine it (SPOT); earlier ones are
 * only judged (pass `plan.history` when the model was trained on that history).
 */
export async function runVaeDetector(opts: {
  series: readonly SeriesInput[];
  timestamps: Float64Array;
  plan: ReplayPlan;
  edges: Array<[string, string]>;
  model: DetectorModel;
  learnFrom?: number;
  /** Score only windows whose newest step is at or after this replay position (earlier steps: NaN, no alarm). */
  scoreFrom?: number;
  options?: Partial<typeof DEFAULTS>;
  incident?: Partial<{ k: number; m: number; quiet: number }>;
}): Promise<VaeRun> {
  const o = { ...DEFAULTS, ...opts.options };
  const raw = toCube(opts.series, opts.plan.order, opts.edges, opts.model.vae.features);
  const width = raw.nodes.length * raw.features.length;
  const cube = { ...raw, values: spliceBreaks(raw.values, raw.steps, width, opts.plan.breaks) };
  const scored = await opts.model.vae.score(cube, { from: opts.scoreFrom });
  const len = opts.plan.order.length;
  const n = scored.nodes.length;
  const learnFrom = opts.learnFrom ?? 0;
  const stamp = (j: number) => opts.timestamps[opts.plan.order[j]];
  const column = (get: (w: number) => number) => {
    const col = new Float64Array(len).fill(NaN);
    scored.ends.forEach((e, w) => {
      col[e] = get(w);
    });
    return col;
  };
  const overall = column((w) => scored.overall[w]);
  const system = judgeScores(opts.model.thresholds.system, overall, learnFrom);
  const anomalies: AnomalyRecord[] = [];
  const byNode = new Map<string, Uint8Array>();
  for (let i = 0; i < n; i++) {
    const th = opts.model.thresholds.nodes[scored.nodes[i]];
    if (!th) continue; // a node unseen in training is masked until the model is retrained
    const col = column((w) => scored.perNode[w * n + i]);
    const alarms = judgeScores(th, col, learnFrom);
    byNode.set(scored.nodes[i], alarms);
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
  const spread = spreadAlarms(byNode, opts.edges, len, { minEntities: o.minEntities });
  const alarms = new Uint8Array(len);
  for (let j = 0; j < len; j++) alarms[j] = (o.useSystem ? system[j] : 0) | (o.useSpread ? spread[j] : 0);
  return {
    detector: 'graph-lstm-vae',
    anomalies,
    parts: { system, spread },
    alarms,
    incidents: declareIncidents(alarms, {
      ...ruleFor(medianStepS(opts.timestamps)),
      ...opts.incident,
      breaks: opts.plan.breaks,
    }),
    topology: scored.topology,
    scores: overall,
  };
}
