/**
 * The load a system sees over time: a daily cycle (trough before dawn, peak mid-afternoon), a weekly
 * cycle (quieter weekends), autocorrelated noise and occasional benign bursts (a campaign, a batch
 * job) that move metrics without any fault. The shape follows the classic web-traffic decomposition
 * used by STL and Prophet (trend + daily + weekly seasonality + noise).
 */
import { createRng } from './rng.js';

/** Knobs of the load curve. */
export const DEFAULTS = {
  dailyAmplitude: 0.4,
  peakHourUtc: 15,
  weekendFactor: 0.75,
  noiseSigma: 0.05,
  /** AR(1) coefficient of the noise per step. */
  noisePhi: 0.8,
  /** Expected benign bursts per day, their factor range and length range (s). */
  burstsPerDay: 2,
  burstFactor: [1.4, 2.0] as const,
  burstS: [300, 1_200] as const,
} as const;

/** A benign load burst: offset from the run's start and length in seconds, and its factor. */
export interface Burst {
  startS: number;
  durationS: number;
  factor: number;
}

/** Load factor per step, 1 = the peak of a normal weekday; and the benign bursts placed in the run. */
export function loadCurve(a: { seed: number; startMs: number; steps: number; stepS: number; noise: boolean }): {
  load: Float64Array;
  bursts: Burst[];
} {
  const rng = createRng(a.seed, 'load');
  const load = new Float64Array(a.steps);
  const bursts: Burst[] = [];
  const totalS = a.steps * a.stepS;
  if (a.noise) {
    const expected = (DEFAULTS.burstsPerDay * totalS) / 86_400;
    // Poisson count by inversion, so short runs usually have none.
    let k = 0;
    for (let p = Math.exp(-expected), u = rng.next(), c = p; u > c && k < 50;) {
      k++;
      p *= expected / k;
      c += p;
    }
    for (let j = 0; j < k; j++) {
      const [f0, f1] = DEFAULTS.burstFactor;
      const [d0, d1] = DEFAULTS.burstS;
      bursts.push({
        startS: rng.next() * totalS,
        durationS: d0 + rng.next() * (d1 - d0),
        factor: f0 + rng.next() * (f1 - f0),
      });
    }
  }
  let ar = 0;
  for (let i = 0; i < a.steps; i++) {
    const tMs = a.startMs + i * a.stepS * 1000;
    const hour = (tMs / 3_600_000) % 24;
    const day = new Date(tMs).getUTCDay();
    const daily = 1 + DEFAULTS.dailyAmplitude * Math.cos((2 * Math.PI * (hour - DEFAULTS.peakHourUtc)) / 24);
    const weekly = day === 0 || day === 6 ? DEFAULTS.weekendFactor : 1;
    ar = DEFAULTS.noisePhi * ar + Math.sqrt(1 - DEFAULTS.noisePhi ** 2) * rng.normal();
    let f = (daily / (1 + DEFAULTS.dailyAmplitude)) * weekly * (a.noise ? Math.exp(DEFAULTS.noiseSigma * ar) : 1);
    const s = i * a.stepS;
    for (const b of bursts) if (s >= b.startS && s < b.startS + b.durationS) f *= b.factor;
    load[i] = f;
  }
  return { load, bursts };
}
