/**
 * Learning from human corrections (merge two incidents, split alerts off): each correction becomes
 * labelled alert pairs ("belong together" / "belong apart"), and the correlation score is adjusted
 * so those pairs would now be grouped correctly — a per-name-pair bias set just past the threshold
 * (what makes "the same pattern" group right next time) and a small averaged perceptron step on the
 * global weights (Rosenblatt 1958; Freund & Schapire 1999), kept bounded so one correction cannot
 * undo the topology signal.
 */
import { type CorrelationWeights, type PairFeatures, pairKey, pairScore, scoreTerms } from './correlation-score.js';

/** One labelled pair taken from a correction: the two alerts' names, their similarities, and the human's verdict. */
export interface PairExample {
  names: [string, string];
  features: PairFeatures;
  together: boolean;
}

/** A human correction, kept as a plain record so it can be stored, replayed and learned from. */
export interface Correction {
  kind: 'merge' | 'split';
  /** When it was made, ms. */
  at: number;
  /** merge: [kept incident, absorbed incident]; split: [source incident, new incident]. */
  incidents: [string, string];
  /** merge: the absorbed incident's alerts; split: the alerts split off. */
  fingerprints: string[];
  examples: PairExample[];
}

/** Knobs for learning. */
export const DEFAULTS = {
  /** Perceptron step on the global weights per correction. */
  rate: 0.02,
  epochs: 3,
  /** How far past the threshold a corrected pair is pushed. */
  margin: 0.05,
  /** Bounds of any one weight and of any pair bias. */
  minWeight: 0.05,
  maxWeight: 1,
  maxBias: 1,
} as const;

export type LearnOptions = { [K in keyof typeof DEFAULTS]: number };

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function biasFor(w: CorrelationWeights, ex: PairExample): number {
  return w.pairBias[pairKey(ex.names[0], ex.names[1])] ?? 0;
}

/** Averaged perceptron step on the misclassified examples of one correction. */
function perceptronStep(w: CorrelationWeights, examples: readonly PairExample[], o: LearnOptions): CorrelationWeights {
  const grad = { time: 0, topology: 0, text: 0 };
  let wrong = 0;
  for (const ex of examples) {
    const y = ex.together ? 1 : -1;
    if (y * (pairScore(ex.features, w) + biasFor(w, ex) - w.threshold) > 0) continue;
    wrong++;
    const t = scoreTerms(ex.features);
    grad.time += y * t.time;
    grad.topology += y * t.topology;
    grad.text += y * t.text;
  }
  if (wrong === 0) return w;
  const step = (k: keyof typeof grad) => clamp(w[k] + (o.rate * grad[k]) / wrong, o.minWeight, o.maxWeight);
  return { ...w, time: step('time'), topology: step('topology'), text: step('text') };
}

/** Sets each corrected name pair's bias just far enough that its examples land on the right side. */
function adjustBiases(w: CorrelationWeights, c: Correction, o: LearnOptions): CorrelationWeights {
  const need = new Map<string, number>();
  for (const ex of c.examples) {
    const key = pairKey(ex.names[0], ex.names[1]);
    // Apart must hold even when the two fire at the same moment (an ongoing incident is "now").
    const s = pairScore(ex.together ? ex.features : { ...ex.features, time: 1 }, w);
    // Together: the weakest pair must reach the threshold; apart: the strongest must stay below it.
    const b = ex.together ? w.threshold + o.margin - s : w.threshold - o.margin - s;
    const prev = need.get(key);
    need.set(key, prev === undefined ? b : ex.together ? Math.max(prev, b) : Math.min(prev, b));
  }
  const pairBias = { ...w.pairBias };
  for (const [key, b] of need) {
    const old = pairBias[key] ?? 0;
    // A merge only ever raises a bias and a split only lowers it: corrections never undo less.
    pairBias[key] = clamp(c.kind === 'merge' ? Math.max(old, b) : Math.min(old, b), -o.maxBias, o.maxBias);
  }
  return { ...w, pairBias };
}

/**
 * New correlation weights that agree with `corrections` (applied in order), starting from `base`.
 * Pure and deterministic: the same corrections and base always give the same weights.
 */
export function learnFromCorrections(
  corrections: readonly Correction[],
  base: CorrelationWeights,
  opts: Partial<LearnOptions> = {},
): CorrelationWeights {
  const o = { ...DEFAULTS, ...opts };
  let w: CorrelationWeights = { ...base, pairBias: { ...base.pairBias } };
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const c of corrections) w = perceptronStep(w, c.examples, o);
  }
  for (const c of corrections) w = adjustBiases(w, c, o);
  return w;
}
