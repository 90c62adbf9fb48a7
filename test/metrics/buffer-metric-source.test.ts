import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCase } from '../../src/cases/read-case.js';
import { BufferMetricSource } from '../../src/metrics/buffer-metric-source.js';
import { CompositeMetricSource } from '../../src/metrics/composite-metric-source.js';
import { SeriesRing } from '../../src/metrics/series-ring.js';

const CASE = '../shared/data/rca/petshop/low_traffic-test-issue_0';

describe('BufferMetricSource', () => {
  it("answers a case's metrics.csv on its own grid, exactly as read", async () => {
    const c = await readCase(CASE);
    const buf = new BufferMetricSource();
    buf.loadCase(c);
    const s = c.series[0];
    const step = c.timestamps[1] - c.timestamps[0];
    const [got] = await buf.query({
      entities: [s.entity],
      metrics: [s.metric],
      from: c.timestamps[0],
      to: c.timestamps[c.timestamps.length - 1],
      stepS: step,
    });
    const want = [...s.values];
    const have = [...got.values];
    // The grid may be finer than a gappy series; every sample present in the file is returned.
    for (let i = 0; i < want.length; i++) {
      const k = (c.timestamps[i] - c.timestamps[0]) / step;
      if (Number.isInteger(k) && !Number.isNaN(want[i])) expect(have[k]).toBe(want[i]);
    }
    expect((await buf.listSeries(s.entity)).some((r) => r.metric === s.metric)).toBe(true);
  });

  it('replaying samples changes nothing; a ring drops the oldest beyond capacity', async () => {
    const buf = new BufferMetricSource({ capacity: 3 });
    const samples = [1, 2, 3, 4].map((t) => ({ entity: 'a', metric: 'm', t: t * 10, v: t }));
    expect(buf.push(samples)).toEqual({ added: 4, replaced: 0, late: 0, refused: 0 });
    expect(buf.push(samples)).toEqual({ added: 0, replaced: 3, late: 1, refused: 0 });
    const [s] = await buf.query({ from: 10, to: 40, stepS: 10 });
    expect([...s.values]).toEqual([Number.NaN, 2, 3, 4]);
  });

  it('property: aligned values equal the latest sample in each (t − step, t] window', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 50 }),
        (ts, step) => {
          const sorted = [...ts].sort((a, b) => a - b);
          const ring = new SeriesRing(100);
          for (const t of sorted) ring.push(t, t * 2);
          const { timestamps, values } = ring.align(0, 500, step);
          timestamps.forEach((t, k) => {
            const inWin = sorted.filter((x) => x > t - step && x <= t);
            const want = inWin.length ? inWin[inWin.length - 1] * 2 : Number.NaN;
            expect(values[k]).toBe(want);
          });
        },
      ),
    );
  });

  it("a composite fills the first source's gaps from the next", async () => {
    const a = new BufferMetricSource();
    const b = new BufferMetricSource();
    a.push([{ entity: 'x', metric: 'm', t: 10, v: 1 }]);
    b.push([
      { entity: 'x', metric: 'm', t: 10, v: 9 },
      { entity: 'x', metric: 'm', t: 20, v: 2 },
      { entity: 'y', metric: 'm', t: 20, v: 5 },
    ]);
    const out = await new CompositeMetricSource([a, b]).query({ from: 10, to: 20, stepS: 10 });
    expect(out.map((s) => [s.entity, [...s.values]])).toEqual([
      ['x', [1, 2]],
      ['y', [Number.NaN, 5]],
    ]);
  });
});
