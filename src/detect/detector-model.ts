/**
 * A system's trained detector: the GraphLSTM-VAE, the topology it was trained on, and its budgeted
 * thresholds (score-threshold.ts), trained in one call and kept in the knowledge graph as one
 * `DetectorModel` node per system (src/incidents/detector-model-store.ts, as rca-model.ts keeps the RCA
 * weights), so a restart reloads it instead of starting untrained. Pure apart from the model's tensors.
 */
import { uid } from '../model/uid.js';
import { InputError } from '../errors.js';
import {
  GraphLstmVae,
  type EpochReport,
  type MetricCube,
  type TrainingSummary,
  type VaeArtifacts,
  type VaeOptions,
} from './graph-lstm-vae/model.js';
import { isValidationStep, type ValidationBlocks } from './graph-lstm-vae/data.js';
import { calibrateScoreThreshold, DEFAULTS as THRESHOLD, riskFor, type ScoreThreshold } from './score-threshold.js';

/** Format tag of the stored node; a model stored in another format is ignored (retrained). */
export const DETECTOR_MODEL_FORMAT = 'rootgraph-detector-model/1';

/** The default false-alarm budget: incidents a day on normal data (ROOTGRAPH_DETECT_FALSE_PER_DAY). */
export const DEFAULT_FALSE_PER_DAY = 1;

/** A trained detector for one system. Call `vae.dispose()` when done with it. */
export interface DetectorModel {
  system: string;
  /** 1 for the first model saved for the system, then one more per save. */
  version: number;
  /** Unix ms. */
  trainedAt: number;
  /** Metric resolution it was trained on, in seconds. */
  stepS: number;
  falsePerDay: number;
  /** The nodes and call edges it was trained on (scoring masks nodes added since). */
  topology: { nodes: string[]; edges: Array<[string, string]> };
  /** Thresholds on the system score and on each node's score, calibrated on held-out normal windows. */
  thresholds: { system: ScoreThreshold; nodes: Record<string, ScoreThreshold> };
  /** The held-out scores themselves, so another budget needs no retraining (`withBudget`). */
  validation: ValidationScores;
  training: TrainingSummary;
  vae: GraphLstmVae;
}

/** The uid of a system's model node. */
export const detectorModelUid = (system: string) => uid('DetectorModel', system);

/** The system's and each node's scores on the held-out validation windows (what thresholds are calibrated on). */
export interface ValidationScores {
  system: number[];
  nodes: Record<string, number[]>;
}

/** Scores `cube` (the training cube) and keeps the windows ending in the validation `blocks`. */
export async function validationScores(
  vae: GraphLstmVae,
  cube: MetricCube,
  blocks: ValidationBlocks = vae.training.validation,
): Promise<ValidationScores> {
  const scored = await vae.score(cube);
  const held = scored.ends.flatMap((e, w) => (isValidationStep(blocks, e) ? [w] : []));
  const n = scored.nodes.length;
  const nodes: Record<string, number[]> = {};
  scored.nodes.forEach((name, i) => {
    nodes[name] = held.map((w) => scored.perNode[w * n + i]).filter(Number.isFinite);
  });
  return { system: held.map((w) => scored.overall[w]).filter(Number.isFinite), nodes };
}

/**
 * Thresholds for a budget of `falsePerDay` at one score every `stepS` seconds, from held-out
 * scores. A node with fewer than 10 held-out scores (its columns were never learnt) gets none and
 * never alarms. Pure.
 */
export function calibrateThresholds(
  v: ValidationScores,
  falsePerDay: number,
  stepS: number,
  opts: Partial<typeof THRESHOLD> = {},
): DetectorModel['thresholds'] {
  const o = { ...THRESHOLD, ...opts };
  const q = riskFor(falsePerDay, stepS, o.riskFactor);
  const nodes: Record<string, ScoreThreshold> = {};
  for (const [name, own] of Object.entries(v.nodes))
    if (own.length >= 10) nodes[name] = calibrateScoreThreshold(own, q, o);
  return { system: calibrateScoreThreshold(v.system, q, o), nodes };
}

/** The same model with thresholds for another budget (no retraining: the held-out scores are kept). */
export function withBudget(model: DetectorModel, falsePerDay: number): DetectorModel {
  if (falsePerDay === model.falsePerDay) return model;
  return { ...model, falsePerDay, thresholds: calibrateThresholds(model.validation, falsePerDay, model.stepS) };
}

/**
 * Trains the VAE on normal `cube` (steps `stepS` apart) and calibrates its thresholds on the
 * interleaved held-out windows at `falsePerDay`. Deterministic per seed and backend.
 */
export async function trainDetectorModel(opts: {
  cube: MetricCube;
  stepS: number;
  system?: string;
  falsePerDay?: number;
  vae?: Partial<VaeOptions>;
  onEpoch?: (r: EpochReport) => void;
  now?: () => number;
}): Promise<DetectorModel> {
  const falsePerDay = opts.falsePerDay ?? DEFAULT_FALSE_PER_DAY;
  const vae = await GraphLstmVae.train(opts.cube, { ...opts.vae, onEpoch: opts.onEpoch });
  try {
    const validation = await validationScores(vae, opts.cube);
    return {
      system: opts.system ?? 'default',
      version: 0,
      trainedAt: (opts.now ?? Date.now)(),
      stepS: opts.stepS,
      falsePerDay,
      topology: { nodes: [...opts.cube.nodes], edges: opts.cube.edges.map(([a, b]) => [a, b]) },
      thresholds: calibrateThresholds(validation, falsePerDay, opts.stepS),
      validation,
      training: vae.training,
      vae,
    };
  } catch (err) {
    vae.dispose();
    throw err;
  }
}

/** A model as plain JSON (what the graph node and a model file hold). */
export interface DetectorModelJson {
  format: typeof DETECTOR_MODEL_FORMAT;
  system: string;
  version: number;
  trainedAt: number;
  stepS: number;
  falsePerDay: number;
  topology: DetectorModel['topology'];
  thresholds: DetectorModel['thresholds'];
  validation: ValidationScores;
  training: TrainingSummary;
  weights: VaeArtifacts;
}

/** The model as plain JSON. */
export async function toDetectorModelJson(m: DetectorModel): Promise<DetectorModelJson> {
  return {
    format: DETECTOR_MODEL_FORMAT,
    system: m.system,
    version: m.version,
    trainedAt: m.trainedAt,
    stepS: m.stepS,
    falsePerDay: m.falsePerDay,
    topology: m.topology,
    thresholds: m.thresholds,
    validation: m.validation,
    training: m.training,
    weights: await m.vae.toArtifacts(),
  };
}

/** Rebuilds a model from `toDetectorModelJson` output; throws InputError on another format. */
export async function fromDetectorModelJson(j: DetectorModelJson, where = 'detector model'): Promise<DetectorModel> {
  if (j?.format !== DETECTOR_MODEL_FORMAT)
    throw new InputError(where, `unknown format ${JSON.stringify(j?.format)}`, {
      hint: 'Retrain the model (rootgraph detect train, or the train job).',
    });
  const { format: _format, weights, ...rest } = j;
  return { ...rest, vae: await GraphLstmVae.fromArtifacts(weights) };
}
