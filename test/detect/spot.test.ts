import { describe, expect, it } from 'vitest';
import { fitGpdGrimshaw, gpdLogLikelihood, gpdQuantile } from '../../src/detect/grimshaw.js';
import { calibrateSpot, createSpot } from '../../src/detect/spot.js';
import { runStreaming } from '../../src/detect/streaming.js';

// Expected numbers come from test/detect/fixtures/spot_reference.py (scipy profile-likelihood MLE,
// cross-checked with scipy.stats.genpareto.fit); the inputs below are generated identically there.
const PEAKS = [0.12, 0.35, 0.08, 1.9, 0.51, 0.27, 0.66, 3.4, 0.19, 0.44, 1.1, 0.05, 0.73, 2.2, 0.31];
const REF_PEAKS = { gamma: 0.20502067559093576, sigma: 0.6599475812176259, ll: -11.841387091164115 };
const REF_CAL = {
  t: 5.953412506638875,
  nPeaks: 39,
  gamma: 0.07608133850124248,
  sigma: 2.4206516355930594,
  z: 14.021060222174723,
};

/** Deterministic GPD(γ=0.2, σ=1) quantile series, as in the reference script. */
function series(n: number): number[] {
  const g = 0.6180339887498949;
  const out: number[] = [];
  for (let i = 1; i <= n; i++) {
    const v = i * g;
    const u = v - Math.floor(v);
    out.push((1 / 0.2) * (Math.pow(1 - u, -0.2) - 1));
  }
  return out;
}

describe('Grimshaw GPD fit', () => {
  it('matches the reference maximum-likelihood fit', () => {
    const fit = fitGpdGrimshaw(PEAKS);
    expect(fit.gamma).toBeCloseTo(REF_PEAKS.gamma, 5);
    expect(fit.sigma).toBeCloseTo(REF_PEAKS.sigma, 5);
    expect(fit.logLikelihood).toBeCloseTo(REF_PEAKS.ll, 6);
  });

  it('is at least as likely as nearby parameters (a local maximum)', () => {
    const fit = fitGpdGrimshaw(PEAKS);
    for (const [dg, ds] of [
      [0.01, 0],
      [-0.01, 0],
      [0, 0.01],
      [0, -0.01],
    ]) {
      expect(gpdLogLikelihood(PEAKS, fit.gamma + dg, fit.sigma + ds)).toBeLessThan(fit.logLikelihood);
    }
  });

  it('falls back to the exponential when every excess is equal', () => {
    const fit = fitGpdGrimshaw([2, 2, 2]);
    expect(fit.gamma).toBe(0);
    expect(fit.sigma).toBe(2);
  });

  it('computes the quantile of eq. (1) by hand', () => {
    // γ = 0.5, σ = 1, t = 10, q·n/Nt = 0.01 → z = 10 + 2·(0.01^−0.5 − 1) = 28
    expect(
      gpdQuantile({ t: 10, fit: { gamma: 0.5, sigma: 1, logLikelihood: 0 }, q: 1e-3, n: 1000, nPeaks: 100 }),
    ).toBeCloseTo(28, 10);
    // γ = 0: z = t − σ·ln(0.01) = 10 + 2·4.60517…
    expect(
      gpdQuantile({ t: 10, fit: { gamma: 0, sigma: 2, logLikelihood: 0 }, q: 1e-3, n: 1000, nPeaks: 100 }),
    ).toBeCloseTo(10 + 2 * Math.log(100), 10);
  });
});

describe('SPOT', () => {
  it('calibrates t, the peaks and z_q as the reference does', () => {
    const tail = calibrateSpot(series(2000), { q: 1e-3, level: 0.98 });
    expect(tail.t).toBeCloseTo(REF_CAL.t, 10);
    expect(tail.peaks.length).toBe(REF_CAL.nPeaks);
    expect(tail.fit.gamma).toBeCloseTo(REF_CAL.gamma, 4);
    expect(tail.fit.sigma).toBeCloseTo(REF_CAL.sigma, 4);
    expect(tail.z).toBeCloseTo(REF_CAL.z, 3);
  });

  it('flags injected spikes and at most one natural extreme in a stationary stream', () => {
    const xs = series(3000);
    const spikes = [2100, 2500, 2900];
    for (const i of spikes) xs[i] = 200;
    const v = runStreaming(createSpot({ q: 1e-4, nInit: 2000 }), xs);
    const flagged = [...v.alarms.keys()].filter((i) => v.alarms[i]);
    expect(flagged).toEqual(expect.arrayContaining(spikes));
    // q = 1e-4 over 1,000 judged points allows ~0.1 false alarms; the heavy GPD tail yields one.
    expect(flagged.length).toBeLessThanOrEqual(spikes.length + 1);
  });

  it('DSPOT follows a drifting level that SPOT alarms on', () => {
    const xs = series(1500).map((x, i) => x * 0.1 + i * 0.01);
    const plain = runStreaming(createSpot({ nInit: 500 }), xs);
    const drift = runStreaming(createSpot({ nInit: 500, depth: 20 }), xs);
    const count = (a: Uint8Array) => a.reduce((s, b) => s + b, 0);
    expect(count(plain.alarms)).toBeGreaterThan(100);
    expect(count(drift.alarms)).toBeLessThan(10);
  });

  it('lower side flags drops', () => {
    const xs = series(1200).map((x) => 100 - x);
    xs[1100] = -500;
    const v = runStreaming(createSpot({ nInit: 1000, side: 'lower' }), xs);
    expect(v.alarms[1100]).toBe(1);
  });
});
