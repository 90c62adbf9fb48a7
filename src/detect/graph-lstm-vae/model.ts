/**
 * GraphLSTM-VAE anomaly scorer (TopoMAD: He, Chen et al., IEEE TNNLS 2021): trained on normal
 * windows of per-node metric vectors; a window's score per node is its negative reconstruction
 * log-likelihood plus KL (higher = more anomalous). Plain arrays in, plain scores out.
 * Topology change: weights are shared by all nodes, so any node set can be scored; a node unseen in
 * training is masked (its input held at the normal mean, its score NaN, left out of the overall
 * score) until the model is retrained; a removed node is simply absent.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../errors.js';
import { ensureTfBackend } from './backend.js';
import {
  fitStandardiser,
  normalisedAdjacency,
  seededRandom,
  standardise,
  windowBlocks,
  type Standardiser,
} from './data.js';
import { forward, initParams, type NetShape, type Params } from './network.js';

/** Knobs of the model and its training (TopoMAD's: hidden 5, two layers each side, window 30). */
export const DEFAULTS = {
  hidden: 5,
  latent: 3,
  layers: 2,
  window: 30,
  epochs: 10,
  batchSize: 32,
  learningRate: 1e-2,
  /** Training windows kept (a seeded sample when there are more). */
  maxWindows: 512,
  /** Newest steps of a window whose scores are averaged into the window's score. */
  scoreSteps: 1,
  seed: 1,
};

export type VaeOptions = typeof DEFAULTS;

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
  format: 'rootgraph-graph-lstm-vae/1';
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
  ) {}

  private get shape(): NetShape {
    return {
      features: this.features.length,
      hidden: this.options.hidden,
      latent: this.options.latent,
      layers: this.options.layers,
    };
  }

  /** Trains on normal data; `onEpoch` reports mean loss per epoch (for progress). Deterministic per seed and backend. */
  static async train(
    cube: MetricCube,
    opts: Partial<VaeOptions> & { onEpoch?: (epoch: number, loss: number) => void } = {},
  ): Promise<GraphLstmVae> {
    await ensureTfBackend();
    const { onEpoch, ...rest } = opts;
    const o = { ...DEFAULTS, ...rest };
    checkCube(cube, 'graph-lstm-vae › train');
    if (cube.steps < o.window)
      throw new InputError(
        'graph-lstm-vae › train',
        `needs at least ${o.window} steps of normal data, got ${cube.steps}`,
      );
    const n = cube.nodes.length;
    const f = cube.features.length;
    const st = fitStandardiser(cube.values, cube.steps, n * f);
    const x = standardise(
      cube.values,
      cube.steps,
      Int32Array.from({ length: n * f }, (_, k) => k),
      st,
    );
    const model = new GraphLstmVae(
      o,
      [...cube.nodes],
      [...cube.features],
      st,
      initParams({ features: f, hidden: o.hidden, latent: o.latent, layers: o.layers }, o.seed),
    );
    const rnd = seededRandom(o.seed);
    let ends = Array.from({ length: cube.steps - o.window + 1 }, (_, i) => i + o.window);
    shuffle(ends, rnd);
    ends = ends.slice(0, o.maxWindows);
    const adj = tf.tensor2d(normalisedAdjacency(cube.nodes, cube.edges), [n, n]);
    const optimizer = tf.train.adam(o.learningRate);
    let draw = o.seed * 1000;
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      shuffle(ends, rnd);
      let total = 0;
      for (let s = 0; s < ends.length; s += o.batchSize) {
        const batch = ends.slice(s, s + o.batchSize);
        const blocks = windowBlocks(x, { nodes: n, features: f, window: o.window, ends: batch });
        const xs = blocks.map((blk) => tf.tensor2d(blk, [n * batch.length, f]));
        const seed = draw++ * 97;
        const loss = optimizer.minimize(() => {
          const { nll, kl } = forward(model.params, model.shape, adj, xs, n, seed);
          return tf.div(tf.addN([...nll, ...kl]).mean(), o.window) as tf.Scalar;
        }, true);
        total += (await loss!.data())[0] * batch.length;
        loss!.dispose();
        xs.forEach((t) => t.dispose());
      }
      onEpoch?.(epoch, total / ends.length);
    }
    optimizer.dispose();
    adj.dispose();
    return model;
  }

  /** Scores every full window of `cube` (any node set; see the header for unseen nodes). */
  async score(cube: MetricCube, opts: { batchSize?: number } = {}): Promise<VaeScores> {
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
    const ends = Array.from({ length: Math.max(0, cube.steps - w + 1) }, (_, i) => i + w);
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
        const { nll, kl } = forward(this.params, this.shape, adj, xs, n);
        const per = [];
        for (let t = w - tail; t < w; t++) per.push(tf.add(nll[t], kl[t]));
        return tf.div(tf.addN(per), tail);
      });
      const v = await scores.data();
      scores.dispose();
      for (let bi = 0; bi < b; bi++) {
        let sum = 0;
        let cnt = 0;
        for (let i = 0; i < n; i++) {
          const masked = colMap[i * f] < 0;
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
      format: 'rootgraph-graph-lstm-vae/1',
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
    if (a.format !== 'rootgraph-graph-lstm-vae/1')
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

function shuffle<T>(a: T[], rnd: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
}
