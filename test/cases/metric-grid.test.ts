import { describe, expect, it } from 'vitest';
import { alignMetricRows } from '../../src/cases/metric-grid.js';
import { normaliseCase } from '../../src/cases/normalise-case.js';
import type { CaseData, CaseSeries } from '../../src/cases/types.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';

const series = (entity: string, values: number[]): CaseSeries => ({
  key: `${entity}|cpu`,
  entity,
  metric: 'cpu',
  values: Float64Array.from(values),
});

const caseOf = (timestamps: number[], s: CaseSeries[], start = 0): CaseData => ({
  name: 'c',
  timestamps: Float64Array.from(timestamps),
  series: s,
  topology: [],
  spans: [],
  logs: [],
  incident: { start },
  has: { metrics: true, topology: false, traces: false, logs: false },
});

describe('alignMetricRows', () => {
  it('merges rows of one timestamp, the last value given winning', () => {
    const c = caseOf([0, 30, 30, 60], [series('a', [1, 2, 3, 4]), series('b', [5, 6, Number.NaN, 8])]);
    const { data, fix } = alignMetricRows(c);
    expect(fix).toEqual({ mergedRows: 1, gridStepS: null });
    expect(Array.from(data.timestamps)).toEqual([0, 30, 60]);
    expect(Array.from(data.series[0].values)).toEqual([1, 3, 4]);
    expect(Array.from(data.series[1].values)).toEqual([5, 6, 8]);
  });

  it('puts series scraped at their own offsets on a grid of their interval', () => {
    // a at 0, 30, 60, …; b at 7, 37, 67, …: rows 7 s and 23 s apart, each with one cell.
    const ts: number[] = [];
    const a: number[] = [];
    const b: number[] = [];
    for (let k = 0; k < 10; k++) {
      ts.push(k * 30, k * 30 + 7);
      a.push(k, Number.NaN);
      b.push(Number.NaN, 100 + k);
    }
    const { data, fix } = alignMetricRows(caseOf(ts, [series('a', a), series('b', b)]));
    expect(fix).toEqual({ mergedRows: 0, gridStepS: 30 });
    // Points at the end of each scrape round (7 s past the minute-half): both series' samples of a round meet.
    expect(Array.from(data.timestamps)).toEqual([7, 37, 67, 97, 127, 157, 187, 217, 247, 277]);
    expect(Array.from(data.series[0].values)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(data.series[1].values)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
  });

  it('leaves one row per scrape alone, sparse columns included', () => {
    const c = caseOf([0, 60, 120, 180], [series('a', [1, 2, 3, 4]), series('b', [Number.NaN, 1, Number.NaN, 2])]);
    expect(alignMetricRows(c)).toEqual({ data: c, fix: null });
  });
});

describe('a metrics dump with each series at its own scrape offset', () => {
  it('ranks as the same metrics on one grid (fails without aligning)', () => {
    // 11 services, 60 one-minute steps; svc3's cpu and latency jump at the start (minute 40).
    const names = Array.from({ length: 11 }, (_, i) => `svc${i}`);
    const wobble = (i: number, k: number) => ((i * 7 + k * 13) % 11) * 0.01;
    const value = (s: number, metric: number, i: number) =>
      1 + wobble(i, s * 3 + metric) + (s === 3 && i >= 40 ? 2 : 0) + (s === 0 && metric === 1 && i >= 40 ? 1 : 0);
    const grid: CaseData = caseOf(
      Array.from({ length: 60 }, (_, i) => 1_000_000 + i * 60),
      names.flatMap((n, s) =>
        ['cpu_usage', 'latency'].map((m, k) => ({
          key: `${n}|${m}`,
          entity: n,
          metric: m,
          values: Float64Array.from({ length: 60 }, (_, i) => value(s, k, i)),
        })),
      ),
      1_000_000 + 40 * 60,
    );
    grid.topology = names.slice(1).map((n) => ({ source: 'svc0', target: n }));
    grid.incident.entry = 'svc0';
    // The same samples, each series shifted by its own offset (0–40 s), one row per distinct time.
    const offsets = grid.series.map((_, j) => (j * 7) % 41);
    const times = [...new Set(grid.series.flatMap((_, j) => Array.from(grid.timestamps, (t) => t + offsets[j])))].sort(
      (x, y) => x - y,
    );
    const row = new Map(times.map((t, i) => [t, i]));
    const staggered: CaseData = {
      ...grid,
      timestamps: Float64Array.from(times),
      series: grid.series.map((s, j) => {
        const values = new Float64Array(times.length).fill(Number.NaN);
        grid.timestamps.forEach((t, i) => (values[row.get(t + offsets[j]) as number] = s.values[i]));
        return { ...s, values };
      }),
    };
    const top = (c: CaseData) =>
      rankRootCauses(analyseCase(c), defaultWeights(), { method: 'fused', rng: seededRng(1) })
        .slice(0, 3)
        .map((r) => r.entity);
    expect(top(grid)[0]).toBe('svc3');
    expect(top(normaliseCase(staggered))).toEqual(top(grid));
  });
});
