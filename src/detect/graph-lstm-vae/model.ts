/**
 * GraphLSTM-VAE anomaly scorer (TopoMAD: He, Chen et al., IEEE TNNLS 2021): trained on normal
 * windows of per-node metric vectors by maximising the ELBO (Gaussian reconstruction + KL), with a
 * time-ordered validation split for early stopping and a learning rate halved on plateaus; a
 * window's score per node is the negative reconstruction log-probability of its newest step
 * (higher = more anomalous). Plain arrays in, plain scores out.
 * Topology change: weights are shared by all nodes, so any node set can be scored; a node unseen in
 * training is masked (its input held at the normal mean, its score NaN, left out of the overall
 * score) until the model is retrained; a removed node is simply absent.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../errors.js';
import { ensureTfBackend } from './backend.js';
import {
  fitStandardiser,
  isValidationStep,
  normalisedAdjacency,
  seededRandom,
  standardise,
  validationBlocks,
  windowBlocks,
  type Standardiser,
  type ValidationBlocks,
} from './data.js';
import { forward, initParams, reconstructionScore, type NetShape, type Params } from './network.js';

/**
 * Knobs of the model and its training. TopoMAD's: hidden 5, two layers each side, batch 32, window
 * 30; the window here is 12 steps (an hour at 5-minute resolution), chosen on PetShop's train split:
 * with one normal day to learn from, 30-step windows leave too few training windows.
 */
export const DEFAULTS = {
  hidden: 5,
  latent: 3,
  layers: 2,
  window: 12,
  /** At most this many epochs; training stops earlier when validation stops improving. */
  epochs: 40,
  /** Epochs without a better validation loss before training stops (the best weights are kept). */
  patience: 6,
  /** Share of the normal steps held out for validation (early stopping, threshold calibration), in interleaved blocks. */
  validation: 0.25,
  batchSize: 32,
  learningRate: 1e-2,
  /** The learning rate is multiplied by this after `lrPatience` epochs without improvement … */
  lrDecay: 0.5,
  lrPatience: 2,
  /** … but not below this. */
  minLearningRate: 5e-4,
  /** Gradients are clipped to this global norm (as TopoMAD's reference training does). */
  clipNorm: 5,
  /** Training windows kept (a seeded sample when there are more). */
  maxWindows: 512,
  /** Newest steps of a window whose scores are averaged into the window's score. */
  scoreSteps: 1,
  /** Monte Carlo draws of z for the reconstruction probability; 0 decodes the posterior mean. */
  samples: 4,
  seed: 1,
};

export type VaeOptions = typeof DEFAULTS;

/** Bumped whenever training or scoring changes behaviour, so cached models (eval --model-cache) are not reused across it. */
export const MODEL_REVISION = 2;

/** Progress of one training epoch: mean training and validation loss (negative ELBO per step and node). */
export interface EpochReport {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number;
  learningRate: number;
}

/** How training went: per-epoch reports, the epoch whose weights were kept, and which steps were held out. */
export interface TrainingSummary {
  history: EpochReport[];
  bestEpoch: number;
  validation: ValidationBlocks;
}

/** Metrics of a system as a cube: values[(t·N + node)·F + feature], NaN where missing. */
export interface MetricCube {
  nodes: string[];
  features: string[];
  steps: number;
  values: Float32Array;
  /** Call edges (caller, callee) between nodes. */
  edges: Array<[string, string]>;
}

/** Scores of every window of a cube. perNode is [windows·N] (NaN for masked nodes). */
export interface VaeScores {
  nodes: string[];
  /** Index of each window's newest step. */
  ends: number[];
  overall: Float64Array;
  perNode: Float64Array;
  topology: { added: string[]; removed: string[]; action: 'none' | 'masked' };
}

/** A model as plain JSON: config, training nodes, standardisation and weights. */
export interface VaeArtifacts {
  format: 'rootgraph-graph-lstm-vae/2';
  options: VaeOptions;
  nodes: string[];
  features: string[];
  mean: number[];
  std: number[];
  weights: Record<string, { shape: number[]; data: number[] }>;
}

function checkCube(c: MetricCube, where: string): void {
  if (c.values.length !== c.steps * c.nodes.length * c.features.length)
    throw new InputError(
      where,
      `values has ${c.values.length} entries, expected steps·nodes·features = ${c.steps * c.nodes.length * c.features.length}`,
    );
}

/** A trained GraphLSTM-VAE. Call `dispose()` to free its tensors. */
export class GraphLstmVae {
  private constructor(
    readonly options: VaeOptions,
    readonly nodes: string[],
    readonly features: string[],
    private readonly st: Standardiser,
    private readonly params: Params,
    /** Training progress; empty for a model rebuilt from artifacts. */
    readonly training: TrainingSummary = { history: [], bestEpoch: 0, validation: { block: 1, every: 1, phase: 1 } },
  ) {}

  private get shape(): NetShape {
    return {
      features: this.features.length,
      hidden: this.options.hidden,
      latent: this.options.latent,
      layers: this.options.layers,
    };
  }

  /**
   * Trains on normal data: the newest `validation` share of the steps is held out; each epoch reports
   * to `onEpoch`; the weights of the best validation epoch are kept. Deterministic per seed and backend.
   */
  static async train(
    cube: MetricCube,
    opts: Partial<VaeOptions> & { onEpoch?: (r: EpochReport) => void } = {},
  ): Promise<GraphLstmVae> {
    await ensureTfBackend();
    const { onEpoch, ...rest } = opts;
    const o = { ...DEFAULTS, ...rest };
    checkCube(cube, 'graph-lstm-vae › train');
    const n = cube.nodes.length;
    const f = cube.features.length;
    const validation = validationBlocks(cube.steps, o.window, o.validation);
    const held = (t: number) => isValidationStep(validation, t);
    // Training windows lie wholly outside validation blocks; validation windows end inside one.
    const trainable = Array.from({ length: cube.steps - o.window + 1 }, (_, i) => i + o.window).filter((e) => {
      for (let t = e - o.window; t < e; t++) if (held(t)) return false;
      return true;
    });
    if (trainable.length < o.batchSize / 4)
      throw new InputError(
        'graph-lstm-vae › train',
        `needs more normal data: ${cube.steps} steps leave ${trainable.length} training windows of ${o.window}`,
        { hint: 'Give it more history, or a shorter window.' },
      );
    // Standardise with the training steps only, so validation is scored as new data would be.
    const st = fitStandardiser(cube.values, cube.steps, n * f, (t) => !held(t));
    const x = standardise(
      cube.values,
      cube.steps,
      Int32Array.from({ length: n * f }, (_, k) => k),
      st,
    );
    const shape = { features: f, hidden: o.hidden, latent: o.latent, layers: o.layers };
    const params = initParams(shape, o.seed);
    const rnd = seededRandom(o.seed);
    let ends = trainable;
    shuffle(ends, rnd);
    ends = ends.slice(0, o.maxWindows);
    let valEnds = Array.from({ length: cube.steps - o.window + 1 }, (_, i) => i + o.window).filter((e) => held(e - 1));
    // A long history: validation loss on a seeded sample of maxWindows held-out windows keeps epochs cheap.
    if (valEnds.length > o.maxWindows) valEnds = seededSample(valEnds, o.maxWindows, o.seed + 1);
    const adj = tf.tensor2d(normalisedAdjacency(cube.nodes, cube.edges), [n, n]);
    const optimizer = new ScheduledAdam(o.learningRate);
    const history: EpochReport[] = [];
    let best: { loss: number; epoch: number; weights: Map<string, tf.Tensor> } | undefined;
    let sinceBest = 0;
    let sinceLr = 0;
    let draw = o.seed * 1000;
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      shuffle(ends, rnd);
      let total = 0;
      for (let s = 0; s < ends.length; s += o.batchSize) {
        const batch = ends.slice(s, s + o.batchSize);
        const seed = draw++ * 97;
        total +=
          (await trainStep({
            params,
            shape,
            adj,
            optimizer,
            x,
            n,
            f,
            window: o.window,
            batch,
            seed,
            clipNorm: o.clipNorm,
          })) * batch.length;
      }
      const loss = total / ends.length;
      const valLoss =
        valEnds.length > 0 ? await meanLoss({ params, shape, adj, x, n, f, window: o.window, ends: valEnds }) : loss;
      const report = { epoch, epochs: o.epochs, loss, valLoss, learningRate: optimizer.rate };
      history.push(report);
      onEpoch?.(report);
      if (!best || valLoss < best.loss - 1e-4 * Math.abs(best.loss)) {
        best?.weights.forEach((t) => t.dispose());
        best = { loss: valLoss, epoch, weights: new Map([...params].map(([k, v]) => [k, tf.clone(v)])) };
        sinceBest = 0;
        sinceLr = 0;
      } else {
        sinceBest++;
        sinceLr++;
        if (sinceBest >= o.patience) break;
        if (sinceLr >= o.lrPatience) {
          optimizer.rate = Math.max(o.minLearningRate, optimizer.rate * o.lrDecay);
          sinceLr = 0;
        }
      }
    }
    for (const [k, v] of params) v.assign(best!.weights.get(k)!);
    best!.weights.forEach((t) => t.dispose());
    optimizer.dispose();
    adj.dispose();
    return new GraphLstmVae(o, [...cube.nodes], [...cube.features], st, params, {
      history,
      bestEpoch: best!.epoch,
      validation,
    });
  }

  /**
   * Scores every full window of `cube` whose newest step is at or after `from` (default 0), for any
   * node set (see the header for unseen nodes).
   */
  async score(cube: MetricCube, opts: { batchSize?: number; from?: number } = {}): Promise<VaeScores> {
    await ensureTfBackend();
    checkCube(cube, 'graph-lstm-vae › score');
    if (cube.features.join('\u0000') !== this.features.join('\u0000'))
      throw new InputError(
        'graph-lstm-vae › score',
        `features [${cube.features.join(', ')}] differ from the trained [${this.features.join(', ')}]`,
        { hint: 'Retrain on the new metric set.' },
      );
    const n = cube.nodes.length;
    const f = this.features.length;
    const w = this.options.window;
    const known = new Map(this.nodes.map((s, i) => [s, i]));
    const colMap = new Int32Array(n * f);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < f; k++) colMap[i * f + k] = known.has(cube.nodes[i]) ? known.get(cube.nodes[i])! * f + k : -1;
    const added = cube.nodes.filter((s) => !known.has(s));
    const present = new Set(cube.nodes);
    const removed = this.nodes.filter((s) => !present.has(s));
    const x = standardise(cube.values, cube.steps, colMap, this.st);
    // A node is scored only when at least one of its columns was learnt.
    const maskedNode = Uint8Array.from({ length: n }, (_, i) => {
      for (let k = 0; k < f; k++) if (colMap[i * f + k] >= 0 && this.st.std[colMap[i * f + k]] > 0) return 0;
      return 1;
    });
    const first = Math.max(w, (opts.from ?? 0) + 1);
    const ends = Array.from({ length: Math.max(0, cube.steps - first + 1) }, (_, i) => i + first);
    const perNode = new Float64Array(ends.length * n);
    const overall = new Float64Array(ends.length);
    const adj = tf.tensor2d(normalisedAdjacency(cube.nodes, cube.edges), [n, n]);
    const bs = opts.batchSize ?? 64;
    const tail = Math.min(this.options.scoreSteps, w);
    for (let s = 0; s < ends.length; s += bs) {
      const batch = ends.slice(s, s + bs);
      const b = batch.length;
      const blocks = windowBlocks(x, { nodes: n, features: f, window: w, ends: batch });
      const scores = tf.tidy(() => {
        const xs = blocks.map((blk) => tf.tensor2d(blk, [n * b, f]));
        return reconstructionScore(this.params, this.shape, adj, xs, n, {
          samples: this.options.samples,
          seed: this.options.seed * 7919 + s,
          tail,
        });
      });
      const v = await scores.data();
      scores.dispose();
      for (let bi = 0; bi < b; bi++) {
        let sum = 0;
        let cnt = 0;
        for (let i = 0; i < n; i++) {
          const masked = maskedNode[i] === 1;
          const val = masked ? NaN : v[i * b + bi];
          perNode[(s + bi) * n + i] = val;
          if (!masked) {
            sum += val;
            cnt++;
          }
        }
        overall[s + bi] = cnt > 0 ? sum / cnt : NaN;
      }
    }
    adj.dispose();
    return {
      nodes: [...cube.nodes],
      ends: ends.map((e) => e - 1),
      overall,
      perNode,
      topology: { added, removed, action: added.length + removed.length > 0 ? 'masked' : 'none' },
    };
  }

  /** The model as plain JSON (a custom IO handler: no file:// needed). */
  async toArtifacts(): Promise<VaeArtifacts> {
    const weights: VaeArtifacts['weights'] = {};
    for (const [name, v] of this.params) weights[name] = { shape: v.shape, data: Array.from(await v.data()) };
    return {
      format: 'rootgraph-graph-lstm-vae/2',
      options: this.options,
      nodes: this.nodes,
      features: this.features,
      mean: Array.from(this.st.mean),
      std: Array.from(this.st.std),
      weights,
    };
  }

  /** Rebuilds a model from `toArtifacts()` output. */
  static async fromArtifacts(a: VaeArtifacts): Promise<GraphLstmVae> {
    await ensureTfBackend();
    if (a.format !== 'rootgraph-graph-lstm-vae/2')
      throw new InputError('graph-lstm-vae › artifacts', `unknown format ${String(a.format)}`);
    const params: Params = new Map();
    for (const [name, w] of Object.entries(a.weights)) params.set(name, tf.variable(tf.tensor(w.data, w.shape), true));
    return new GraphLstmVae(
      { ...DEFAULTS, ...a.options },
      a.nodes,
      a.features,
      { mean: Float32Array.from(a.mean), std: Float32Array.from(a.std) },
      params,
    );
  }

  /** Frees the weights. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}

/** Adam whose learning rate can be lowered between epochs (tfjs keeps it in a protected field). */
class ScheduledAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999);
  }
  get rate(): number {
    return this.learningRate;
  }
  set rate(v: number) {
    this.learningRate = v;
  }
}

/** The training loss of a batch: negative ELBO per step and row, z sampled with `seed`. */
function batchLoss(a: {
  params: Params;
  shape: NetShape;
  adj: tf.Tensor2D;
  xs: tf.Tensor2D[];
  n: number;
  seed?: number;
}): tf.Scalar {
  const { nll, kl } = forward(a.params, a.shape, a.adj, a.xs, a.n, a.seed);
  return tf.div(tf.addN([...nll, ...kl]).mean(), a.xs.length) as tf.Scalar;
}

/** One optimiser step on `batch` (window end indices) with gradients clipped to `clipNorm`; returns the loss. */
async function trainStep(a: {
  params: Params;
  shape: NetShape;
  adj: tf.Tensor2D;
  optimizer: ScheduledAdam;
  x: Float32Array;
  n: number;
  f: number;
  window: number;
  batch: number[];
  seed: number;
  clipNorm: number;
}): Promise<number> {
  const blocks = windowBlocks(a.x, { nodes: a.n, features: a.f, window: a.window, ends: a.batch });
  const xs = blocks.map((blk) => tf.tensor2d(blk, [a.n * a.batch.length, a.f]));
  const vars = [...a.params.values()];
  const { value, grads } = a.optimizer.computeGradients(() => batchLoss({ ...a, xs }), vars);
  const names = Object.keys(grads);
  const norm = Math.sqrt(tf.tidy(() => tf.addN(names.map((k) => tf.sum(tf.square(grads[k])))).dataSync()[0]));
  const scale = norm > a.clipNorm ? a.clipNorm / norm : 1;
  const clipped = Object.fromEntries(names.map((k) => [k, scale === 1 ? grads[k] : tf.mul(grads[k], scale)]));
  a.optimizer.applyGradients(clipped);
  const loss = (await value.data())[0];
  value.dispose();
  for (const k of names) {
    grads[k].dispose();
    if (scale !== 1) clipped[k].dispose();
  }
  xs.forEach((t) => t.dispose());
  return loss;
}

/** Mean loss over windows ending at `ends`, with z at the posterior mean (deterministic). */
async function meanLoss(a: {
  params: Params;
  shape: NetShape;
  adj: tf.Tensor2D;
  x: Float32Array;
  n: number;
  f: number;
  window: number;
  ends: number[];
}): Promise<number> {
  let total = 0;
  for (let s = 0; s < a.ends.length; s += 64) {
    const batch = a.ends.slice(s, s + 64);
    const blocks = windowBlocks(a.x, { nodes: a.n, features: a.f, window: a.window, ends: batch });
    const loss = tf.tidy(() =>
      batchLoss({ ...a, xs: blocks.map((blk) => tf.tensor2d(blk, [a.n * batch.length, a.f])) }),
    );
    total += (await loss.data())[0] * batch.length;
    loss.dispose();
  }
  return total / a.ends.length;
}

/** `k` of `xs` chosen with their own seeded generator (the training shuffle's stream stays untouched). */
function seededSample<T>(xs: T[], k: number, seed: number): T[] {
  const copy = [...xs];
  shuffle(copy, seededRandom(seed));
  return copy.slice(0, k);
}

function shuffle<T>(a: T[], rnd: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
}
