/**
 * The GraphLSTM-VAE network in TensorFlow.js: GraphLSTM cells (graph convolution with a dense
 * normalised adjacency inside an LSTM) for encoder and decoder, a Gaussian latent per node and step,
 * and a Gaussian output with learned variance.
 * Reference: Z. He, P. Chen, X. Li, Y. Wang, G. Yu, C. Chen, X. Li, Z. Zheng, "A Spatiotemporal Deep
 * Learning Approach for Unsupervised Anomaly Detection in Cloud Systems" (TopoMAD), IEEE TNNLS 2021.
 * Tensors are node-major [N·B, D] so the graph convolution is one dense [N,N]×[N, B·D] matMul:
 * no einsum or gather, whose gradients the wasm backend lacks.
 */
import * as tf from '@tensorflow/tfjs';

/** Shape of the network. */
export interface NetShape {
  features: number;
  hidden: number;
  latent: number;
  /** GraphLSTM layers in the encoder and, again, in the decoder. */
  layers: number;
}

/** Named trainable variables. */
export type Params = Map<string, tf.Variable>;

/** Creates seeded parameters: glorotUniform input kernels, glorotNormal recurrent kernels, zero biases (forget bias 1). */
export function initParams(shape: NetShape, seed: number): Params {
  const p: Params = new Map();
  let s = seed;
  const glorot = (r: number, c: number, normal: boolean) =>
    (normal ? tf.initializers.glorotNormal({ seed: s++ }) : tf.initializers.glorotUniform({ seed: s++ })).apply([
      r,
      c,
    ]) as tf.Tensor2D;
  const h = shape.hidden;
  const cell = (name: string, din: number) => {
    p.set(`${name}.wx`, tf.variable(glorot(din, 4 * h, false), true));
    p.set(`${name}.wh`, tf.variable(glorot(h, 4 * h, true), true));
    const b = new Float32Array(4 * h);
    b.fill(1, h, 2 * h); // forget-gate bias 1 keeps early gradients flowing through time
    p.set(`${name}.b`, tf.variable(tf.tensor1d(b), true));
  };
  const dense = (name: string, din: number, dout: number) => {
    p.set(`${name}.w`, tf.variable(glorot(din, dout, false), true));
    p.set(`${name}.b`, tf.variable(tf.zeros([dout]), true));
  };
  for (let l = 0; l < shape.layers; l++) cell(`enc${l}`, l === 0 ? shape.features : h);
  dense('zmu', h, shape.latent);
  dense('zlv', h, shape.latent);
  for (let l = 0; l < shape.layers; l++) cell(`dec${l}`, l === 0 ? shape.latent : h);
  dense('xmu', h, shape.features);
  dense('xlv', h, shape.features);
  return p;
}

/** Â applied along the node axis of a node-major [N·B, D] tensor. */
function graphConv(adj: tf.Tensor2D, x: tf.Tensor2D, n: number): tf.Tensor2D {
  const d = x.shape[1];
  const b = x.shape[0] / n;
  return tf.matMul(adj, x.reshape([n, b * d])).reshape([n * b, d]);
}

/** Runs one GraphLSTM layer over the sequence `xs` (each [N·B, Din]); returns the hidden states. */
function graphLstm(
  p: Params,
  name: string,
  adj: tf.Tensor2D,
  xs: tf.Tensor2D[],
  n: number,
  hidden: number,
): tf.Tensor2D[] {
  const rows = xs[0].shape[0];
  let h: tf.Tensor2D = tf.zeros([rows, hidden]);
  let c: tf.Tensor2D = tf.zeros([rows, hidden]);
  const out: tf.Tensor2D[] = [];
  const wx = p.get(`${name}.wx`)! as tf.Tensor2D;
  const wh = p.get(`${name}.wh`)! as tf.Tensor2D;
  const b = p.get(`${name}.b`)!;
  for (const x of xs) {
    const pre = graphConv(adj, tf.add(tf.matMul(x, wx), tf.matMul(h, wh)), n).add(b) as tf.Tensor2D;
    const [i, f, o, g] = tf.split(pre, 4, 1) as tf.Tensor2D[];
    c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    out.push(h);
  }
  return out;
}

const dense = (p: Params, name: string, x: tf.Tensor2D) =>
  tf.add(tf.matMul(x, p.get(`${name}.w`)! as tf.Tensor2D), p.get(`${name}.b`)!) as tf.Tensor2D;

const LOG_2PI = Math.log(2 * Math.PI);

/** Per step, the Gaussian posterior q(z|x) of every row: mean and log-variance [N·B, latent]. */
export interface Posterior {
  mu: tf.Tensor2D[];
  logVar: tf.Tensor2D[];
}

/** The encoder: GraphLSTM layers over the window, then dense heads for q(z_t | x_≤t). */
export function encode(p: Params, shape: NetShape, adj: tf.Tensor2D, xs: tf.Tensor2D[], n: number): Posterior {
  let hs = xs;
  for (let l = 0; l < shape.layers; l++) hs = graphLstm(p, `enc${l}`, adj, hs, n, shape.hidden);
  return {
    mu: hs.map((h) => dense(p, 'zmu', h)),
    logVar: hs.map((h) => tf.clipByValue(dense(p, 'zlv', h), -8, 8) as tf.Tensor2D),
  };
}

/** The decoder: GraphLSTM layers over the latent sequence, then the Gaussian p(x_t | z_≤t): mean and log-variance. */
export function decode(
  p: Params,
  shape: NetShape,
  adj: tf.Tensor2D,
  zs: tf.Tensor2D[],
  n: number,
): { mu: tf.Tensor2D[]; logVar: tf.Tensor2D[] } {
  let hs = zs;
  for (let l = 0; l < shape.layers; l++) hs = graphLstm(p, `dec${l}`, adj, hs, n, shape.hidden);
  return {
    mu: hs.map((h) => dense(p, 'xmu', h)),
    logVar: hs.map((h) => tf.clipByValue(dense(p, 'xlv', h), -7, 7) as tf.Tensor2D),
  };
}

/** −log N(x; μ, e^lv) summed over the feature axis: ½ Σ (lv + (x − μ)²/e^lv + log 2π), one value per row. */
export function gaussianNll(x: tf.Tensor2D, mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  const sq = tf.div(tf.square(tf.sub(x, mu)), tf.exp(logVar));
  return tf.mul(0.5, tf.sum(tf.add(tf.add(logVar, sq), LOG_2PI), 1)) as tf.Tensor1D;
}

/** KL(N(μ, e^lv) ‖ N(0, 1)) summed over the latent axis: −½ Σ (1 + lv − μ² − e^lv), one value per row. */
export function klStandardNormal(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  return tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar))), 1)) as tf.Tensor1D;
}

/** z = μ + e^{lv/2}·ε with ε ~ N(0, 1) seeded per step; the posterior mean when `seed` is undefined. */
function sample(q: Posterior, seed: number | undefined): tf.Tensor2D[] {
  if (seed === undefined) return q.mu;
  return q.mu.map(
    (mu, t) =>
      tf.add(
        mu,
        tf.mul(tf.exp(tf.mul(0.5, q.logVar[t])), tf.randomNormal(mu.shape, 0, 1, 'float32', seed + t)),
      ) as tf.Tensor2D,
  );
}

/**
 * Forward pass for training: per step, the per-row [N·B] negative log-likelihood summed over features
 * and the KL summed over latent units (their sum is the negative ELBO). `sampleSeed` draws z by
 * reparameterisation; undefined uses the posterior mean.
 */
export function forward(
  p: Params,
  shape: NetShape,
  adj: tf.Tensor2D,
  xs: tf.Tensor2D[],
  n: number,
  sampleSeed?: number,
): { nll: tf.Tensor1D[]; kl: tf.Tensor1D[] } {
  const q = encode(p, shape, adj, xs, n);
  const kl = q.mu.map((mu, t) => klStandardNormal(mu, q.logVar[t]));
  const out = decode(p, shape, adj, sample(q, sampleSeed), n);
  return { nll: out.mu.map((mu, t) => gaussianNll(xs[t], mu, out.logVar[t])), kl };
}

/**
 * The anomaly score of TopoMAD: the negative reconstruction log-probability of the newest `tail`
 * steps, −(1/L) Σ_l log p(x_t | z_l), z_l ~ q(z | x) (An and Cho, "Variational Autoencoder based
 * Anomaly Detection using Reconstruction Probability", 2015). `samples` = 0 decodes the posterior
 * mean instead (deterministic, one decoder pass). Returns per-row [N·B] scores averaged over the tail.
 */
export function reconstructionScore(
  p: Params,
  shape: NetShape,
  adj: tf.Tensor2D,
  xs: tf.Tensor2D[],
  n: number,
  opts: { samples: number; seed: number; tail: number },
): tf.Tensor1D {
  const q = encode(p, shape, adj, xs, n);
  const w = xs.length;
  const draws = opts.samples > 0 ? opts.samples : 1;
  const parts: tf.Tensor1D[] = [];
  for (let l = 0; l < draws; l++) {
    const out = decode(p, shape, adj, sample(q, opts.samples > 0 ? opts.seed + l * w : undefined), n);
    for (let t = w - opts.tail; t < w; t++) parts.push(gaussianNll(xs[t], out.mu[t], out.logVar[t]));
  }
  return tf.div(tf.addN(parts), parts.length) as tf.Tensor1D;
}
