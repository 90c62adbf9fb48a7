import { describe, expect, it } from 'vitest';
import { baseline, lastingFall, scoreSeries } from '../../src/rca/metric-evidence.js';
import { splitWindow } from '../../src/rca/windows.js';

const ts = Float64Array.from({ length: 40 }, (_, i) => i * 60);
const split = splitWindow(ts, 30 * 60);

function series(normal: (i: number) => number, incident: (i: number) => number): Float64Array {
  return Float64Array.from(ts, (t, i) => (t >= 30 * 60 ? incident(i) : normal(i)));
}

describe('metric evidence (relative-scale-safe robust baseline)', () => {
  it('a rounding-level spread is no spread: z stays on the scale of the values, not 1e17', () => {
    const b = baseline(Float64Array.from([0.00496, 0.004960000000000001, 0.00496, 0.00496]), 'iqr');
    expect(b.scale).toBeGreaterThan(1e-6);
    const v = series(
      (i) => (i % 2 ? 60 : 60.00000000000001),
      () => 60.6,
    );
    const m = scoreSeries({ entity: 'x', metric: 'threads', values: v }, split);
    expect(m).not.toBeNull();
    // 60 → 60.6 is a 1 % move: at most z = 1 from the relative floor.
    expect(Math.abs(m!.z)).toBeLessThanOrEqual(1.0001);
  });

  it('two readings of one level are not the resolution: one event a minute on a quiet counter is no z of 10,000', () => {
    // A retransmit counter that was 0, then one retransmit a minute, read as 0.016665 and 0.016667 per s:
    // their 2e-6 difference is rounding of one level, not the metric's step.
    const v = series(
      () => 0,
      (i) => [0.016667, 0, 0, 0, 0.016665][i % 5],
    );
    const m = scoreSeries({ entity: 'vm', metric: 'node_netstat_Tcp_RetransSegs', values: v }, split)!;
    expect(Math.abs(m.z)).toBeLessThan(1);
  });

  it('a rate that is 0 but for stray errors is scaled by its mean deviation, not by the gaps between its values', () => {
    // One error among ~650 requests every few minutes (0.00146…0.00154), then about two: the gaps between
    // those ratios (~1e-5) are no resolution, and the move is a few deviations, not a hundred.
    const v = series(
      (i) => (i % 6 === 0 ? 0.00146 + (i % 7) * 0.000013 : 0),
      (i) => 0.0025 + (i % 5) * 0.0001,
    );
    const m = scoreSeries({ entity: 'x', metric: 'error_rate', values: v }, split)!;
    expect(m.z).toBeGreaterThan(3);
    expect(m.z).toBeLessThan(15);
  });

  it('a flat count measures moves in its own steps (resolution floor)', () => {
    const v = series(
      (i) => (i % 3 === 0 ? 4 : 3),
      () => 9,
    );
    const m = scoreSeries({ entity: 'x', metric: 'restarts', values: v }, split)!;
    // Normal 3 or 4 (IQR 1): 9 is 6 steps above the median 3.
    expect(m.z).toBeCloseTo(6, 5);
  });

  it('a per-second rate of a counter that was 0 is judged by its resolution, not divided by zero', () => {
    const v = series(
      () => 0,
      (i) => (i % 2 ? 1 / 60 : 5),
    );
    const m = scoreSeries({ entity: 'x', metric: 'memory_failures_total', values: v }, split)!;
    expect(Number.isFinite(m.z)).toBe(true);
    expect(m.z).toBeCloseTo(5 / (1 / 60), 3);
  });

  it('one blip is no fault, and a move no larger than normal spikes is no evidence', () => {
    const blip = series(
      () => 10,
      (i) => (i === 35 ? 50 : 10),
    );
    expect(scoreSeries({ entity: 'x', metric: 'latency', values: blip }, split)!.harm).toBe(0);
    const spiky = series(
      (i) => (i % 7 === 0 ? 50 : 10),
      (i) => (i % 2 ? 48 : 10),
    );
    expect(scoreSeries({ entity: 'x', metric: 'latency', values: spiky }, split)!.harm).toBe(0);
    const sustained = series(
      () => 10,
      (i) => (i >= 32 ? 50 : 10),
    );
    expect(scoreSeries({ entity: 'x', metric: 'latency', values: sustained }, split)!.harm).toBeGreaterThan(10);
  });

  it('direction follows metric semantics: availability falling is harm, rising is not', () => {
    const down = series(
      (i) => 99 + (i % 2),
      () => 60,
    );
    const up = series(
      (i) => 60 + (i % 2),
      () => 99,
    );
    expect(scoreSeries({ entity: 'x', metric: 'availability', values: down }, split)!.harm).toBeGreaterThan(10);
    expect(scoreSeries({ entity: 'x', metric: 'availability', values: up }, split)!.harm).toBe(0);
  });
});

describe('lastingFall', () => {
  const noisy = (i: number) => 100 + (i % 5);
  it('reads a load that halved and stayed there as a fall, and one sample that dipped as none', () => {
    expect(
      lastingFall(
        series(noisy, (i) => noisy(i) / 2),
        split,
      ),
    ).toBeGreaterThan(10);
    const dip = series(noisy, (i) => (i === 35 ? 50 : noisy(i)));
    expect(scoreSeries({ entity: 'x', metric: 'cpu_usage', values: dip }, split)!.z).toBeLessThan(-10);
    expect(lastingFall(dip, split)).toBeLessThanOrEqual(1); // the sawtooth's own low
  });

  it('is 0 for a rise, for too little normal data, and for one window sample (no fall can be seen to last)', () => {
    expect(
      lastingFall(
        series(noisy, (i) => (i === 35 ? 50 : Number.NaN)),
        split,
      ),
    ).toBe(0);
    expect(
      lastingFall(
        series(noisy, (i) => noisy(i) * 2),
        split,
      ),
    ).toBe(0);
    expect(
      lastingFall(
        series(
          () => Number.NaN,
          () => 1,
        ),
        split,
      ),
    ).toBe(0);
  });
});
