import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTfBackend } from '../../../src/detect/graph-lstm-vae/backend.js';
import { normalisedAdjacency } from '../../../src/detect/graph-lstm-vae/data.js';
import {
  forward,
  gaussianNll,
  initParams,
  klStandardNormal,
  reconstructionScore,
  type NetShape,
  type Params,
} from '../../../src/detect/graph-lstm-vae/network.js';
import { mulberry32 } from '../../../src/util/seeded-random.js';

// Known answers for the TopoMAD design, computed here in plain arithmetic, independently of tfjs:
// a GraphLSTM cell is an LSTM whose gate pre-activations pass through the graph convolution
// Â·(x·Wx + h·Wh) + b (gates in the order i, f, o, g); the encoder's last layer gives q(z|x) per step
// and node, the decoder runs GraphLSTM layers over z and outputs a Gaussian mean and log-variance;
// the loss is the Gaussian NLL plus KL(q ‖ N(0, 1)); the score is the reconstruction NLL.

type Mat = number[][];
const matMul = (a: Mat, b: Mat): Mat => a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));
const add = (a: Mat, b: Mat): Mat => a.map((r, i) => r.map((v, j) => v + b[i][j]));
const addRow = (a: Mat, b: number[]): Mat => a.map((r) => r.map((v, j) => v + b[j]));
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Â applied per batch element to node-major rows (row = node·B + b). */
function graphConv(adj: Mat, x: Mat, n: number): Mat {
  const b = x.length / n;
  return x.map((_, r) => {
    const i = Math.floor(r / b);
    const bi = r % b;
    return x[0].map((__, d) => adj[i].reduce((s, a, j) => s + a * x[j * b + bi][d], 0));
  });
}

function lstmLayer(w: Record<string, Mat | number[]>, name: string, adj: Mat, xs: Mat[], n: number, h: number): Mat[] {
  const rows = xs[0].length;
  let hs: Mat = Array.from({ length: rows }, () => new Array(h).fill(0));
  let cs: Mat = Array.from({ length: rows }, () => new Array(h).fill(0));
  const out: Mat[] = [];
  for (const x of xs) {
    const pre = addRow(
      graphConv(adj, add(matMul(x, w[`${name}.wx`] as Mat), matMul(hs, w[`${name}.wh`] as Mat)), n),
      w[`${name}.b`] as number[],
    );
    cs = pre.map((p, r) => p.slice(0, h).map((iv, k) => sig(p[h + k]) * cs[r][k] + sig(iv) * Math.tanh(p[3 * h + k])));
    hs = pre.map((p, r) => cs[r].map((c, k) => sig(p[2 * h + k]) * Math.tanh(c)));
    out.push(hs);
  }
  return out;
}

const dense = (w: Record<string, Mat | number[]>, name: string, x: Mat) =>
  addRow(matMul(x, w[`${name}.w`] as Mat), w[`${name}.b`] as number[]);

/** The whole forward pass by hand: per step, per row, NLL (z at the posterior mean) and KL. */
function reference(w: Record<string, Mat | number[]>, shape: NetShape, adj: Mat, xs: Mat[], n: number) {
  let hs = xs;
  for (let l = 0; l < shape.layers; l++) hs = lstmLayer(w, `enc${l}`, adj, hs, n, shape.hidden);
  const mu = hs.map((h) => dense(w, 'zmu', h));
  const lv = hs.map((h) => dense(w, 'zlv', h).map((r) => r.map((v) => clip(v, -8, 8))));
  const kl = mu.map((m, t) =>
    m.map((r, i) => -0.5 * r.reduce((s, v, k) => s + 1 + lv[t][i][k] - v * v - Math.exp(lv[t][i][k]), 0)),
  );
  let ds = mu;
  for (let l = 0; l < shape.layers; l++) ds = lstmLayer(w, `dec${l}`, adj, ds, n, shape.hidden);
  const nll = ds.map((h, t) => {
    const xm = dense(w, 'xmu', h);
    const xl = dense(w, 'xlv', h).map((r) => r.map((v) => clip(v, -7, 7)));
    return xs[t].map(
      (r, i) =>
        0.5 * r.reduce((s, v, k) => s + xl[i][k] + (v - xm[i][k]) ** 2 / Math.exp(xl[i][k]) + Math.log(2 * Math.PI), 0),
    );
  });
  return { nll, kl };
}

/** Seeded weights in [−1, 1] for every parameter of `shape`, as plain arrays and as tfjs variables. */
function weights(shape: NetShape, seed: number): { plain: Record<string, Mat | number[]>; params: Params } {
  const rnd = mulberry32(seed);
  const params = initParams(shape, 1);
  const plain: Record<string, Mat | number[]> = {};
  for (const [name, v] of params) {
    const data = Array.from({ length: v.size }, () => 2 * rnd() - 1);
    v.assign(tf.tensor(data, v.shape));
    plain[name] =
      v.shape.length === 1
        ? data
        : Array.from({ length: v.shape[0] }, (_, r) => data.slice(r * v.shape[1]!, (r + 1) * v.shape[1]!));
  }
  return { plain, params };
}

beforeAll(async () => {
  await ensureTfBackend();
});

describe('GraphLSTM-VAE network, known answers', () => {
  it('Gaussian NLL and KL match the formulas, by hand', () => {
    // x = 1, μ = 0, lv = 0: ½(0 + 1 + log 2π); two features add up
    const nll = gaussianNll(tf.tensor2d([[1, 1]]), tf.tensor2d([[0, 0]]), tf.tensor2d([[0, 0]]));
    expect(nll.dataSync()[0]).toBeCloseTo(1 + Math.log(2 * Math.PI), 5);
    // μ = 1, lv = log 2: −½(1 + log 2 − 1 − 2) = ½(2 − log 2)
    const kl = klStandardNormal(tf.tensor2d([[1]]), tf.tensor2d([[Math.log(2)]]));
    expect(kl.dataSync()[0]).toBeCloseTo(0.5 * (2 - Math.log(2)), 5);
    expect(klStandardNormal(tf.tensor2d([[0]]), tf.tensor2d([[0]])).dataSync()[0]).toBeCloseTo(0, 6);
  });

  it('forward pass equals the hand computation (3 nodes, 2 features, 2 layers, batch 2, 3 steps)', () => {
    const shape: NetShape = { features: 2, hidden: 2, latent: 1, layers: 2 };
    const n = 3;
    const { plain, params } = weights(shape, 7);
    const adjFlat = normalisedAdjacency(['a', 'b', 'c'], [['a', 'b']]);
    const adj: Mat = [0, 1, 2].map((i) => Array.from(adjFlat.subarray(i * n, (i + 1) * n)));
    const rnd = mulberry32(11);
    const xs: Mat[] = [0, 1, 2].map(() => Array.from({ length: n * 2 }, () => [4 * rnd() - 2, 4 * rnd() - 2]));
    const want = reference(plain, shape, adj, xs, n);
    const got = tf.tidy(() => {
      const r = forward(
        params,
        shape,
        tf.tensor2d(adjFlat, [n, n]),
        xs.map((x) => tf.tensor2d(x)),
        n,
      );
      return { nll: r.nll.map((t) => Array.from(t.dataSync())), kl: r.kl.map((t) => Array.from(t.dataSync())) };
    });
    for (let t = 0; t < 3; t++)
      for (let r = 0; r < n * 2; r++) {
        expect(got.nll[t][r]).toBeCloseTo(want.nll[t][r], 4);
        expect(got.kl[t][r]).toBeCloseTo(want.kl[t][r], 4);
      }
    // The graph matters: node c has no edge, so changing node a's input moves b's NLL but not c's.
    const moved = xs.map((x) => x.map((row, r) => (Math.floor(r / 2) === 0 ? [row[0] + 3, row[1]] : row)));
    const again = reference(plain, shape, adj, moved, n);
    expect(again.nll[2][2]).not.toBeCloseTo(want.nll[2][2], 3); // b, batch 0
    expect(again.nll[2][4]).toBeCloseTo(want.nll[2][4], 10); // c, batch 0
  });

  it('scores by reconstruction NLL of the newest steps; sampling z stays near the posterior mean when q is narrow', () => {
    const shape: NetShape = { features: 2, hidden: 2, latent: 1, layers: 1 };
    const n = 2;
    const { plain, params } = weights(shape, 3);
    const adjFlat = normalisedAdjacency(['a', 'b'], [['a', 'b']]);
    const adj: Mat = [0, 1].map((i) => Array.from(adjFlat.subarray(i * n, (i + 1) * n)));
    const xs: Mat[] = [
      [
        [0.5, -1],
        [1, 0],
      ],
      [
        [0, 2],
        [-1, 1],
      ],
    ];
    const want = reference(plain, shape, adj, xs, n);
    const score = (samples: number, tail: number) =>
      tf.tidy(() =>
        Array.from(
          reconstructionScore(
            params,
            shape,
            tf.tensor2d(adjFlat, [n, n]),
            xs.map((x) => tf.tensor2d(x)),
            n,
            {
              samples,
              seed: 5,
              tail,
            },
          ).dataSync(),
        ),
      );
    const mean1 = score(0, 1);
    expect(mean1[0]).toBeCloseTo(want.nll[1][0], 4);
    expect(mean1[1]).toBeCloseTo(want.nll[1][1], 4);
    const mean2 = score(0, 2);
    expect(mean2[1]).toBeCloseTo((want.nll[0][1] + want.nll[1][1]) / 2, 4);
    // Push q(z|x) to its narrowest (log-variance clipped at −8): samples land next to the mean.
    params.get('zlv.b')!.assign(tf.tensor1d([-50]));
    params.get('zlv.w')!.assign(tf.zeros([2, 1]));
    const sampled = score(8, 1);
    expect(sampled[0]).toBeCloseTo(mean1[0], 1);
    expect(sampled[0]).not.toBe(mean1[0]);
  });
});
