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

/**
 * Forward pass. Returns, per step, the per-row [N·B] negative log-likelihood summed over features
 * and the KL summed over latent units. `sampleSeed` draws z by reparameterisation; undefined uses
 * the posterior mean (scoring).
 */
export function forward(
  p: Params,
  shape: NetShape,
  adj: tf.Tensor2D,
  xs: tf.Tensor2D[],
  n: number,
  sampleSeed?: number,
): { nll: tf.Tensor1D[]; kl: tf.Tensor1D[] } {
  let hs = xs;
  for (let l = 0; l < shape.layers; l++) hs = graphLstm(p, `enc${l}`, adj, hs, n, shape.hidden);
  const kl: tf.Tensor1D[] = [];
  const zs = hs.map((h, t) => {
    const mu = dense(p, 'zmu', h);
    const lv = tf.clipByValue(dense(p, 'zlv', h), -8, 8);
    kl.push(tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, lv), tf.add(tf.square(mu), tf.exp(lv))), 1)) as tf.Tensor1D);
    if (sampleSeed === undefined) return mu;
    const eps = tf.randomNormal(mu.shape, 0, 1, 'float32', sampleSeed + t);
    return tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, lv)), eps)) as tf.Tensor2D;
  });
  hs = zs;
  for (let l = 0; l < shape.layers; l++) hs = graphLstm(p, `dec${l}`, adj, hs, n, shape.hidden);
  const nll = hs.map((h, t) => {
    const mu = dense(p, 'xmu', h);
    const lv = tf.clipByValue(dense(p, 'xlv', h), -7, 7);
    const sq = tf.div(tf.square(tf.sub(xs[t], mu)), tf.exp(lv));
    return tf.mul(0.5, tf.sum(tf.add(tf.add(lv, sq), LOG_2PI), 1)) as tf.Tensor1D;
  });
  return { nll, kl };
}
