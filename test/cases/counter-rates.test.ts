import { describe, expect, it } from 'vitest';
import { counterRates, countersAsRates, isCumulative } from '../../src/cases/counter-rates.js';
import type { CaseData } from '../../src/cases/types.js';
import { readWritten, simCaseFiles, topEntities } from './helpers/sim-case.js';

const total = (n: number, step = 3, from = 1e6) => Array.from({ length: n }, (_, i) => from + i * step + (i % 3));

describe('isCumulative', () => {
  it('takes a running total, with a restart and gaps', () => {
    const v = total(40);
    v[20] = 5; // the process restarted: the count starts over
    for (let i = 21; i < 40; i++) v[i] = 5 + (i - 20) * 3;
    v[7] = Number.NaN;
    expect(isCumulative(v)).toBe(true);
  });

  it('rejects rates, sparse blips, a gauge that dips, and too few samples', () => {
    expect(isCumulative(Array.from({ length: 40 }, (_, i) => 10 + Math.sin(i)))).toBe(false);
    const blips = new Array(31).fill(0);
    blips[15] = 0.0007;
    blips[16] = 0.0012; // a sparse rate: two rises then back to 0
    expect(isCumulative(blips)).toBe(false);
    const dips = total(40);
    dips[30] = dips[29] * 0.9;
    expect(isCumulative(dips)).toBe(false);
    expect(isCumulative(total(6))).toBe(false);
  });
});

describe('counterRates', () => {
  it('gives the per-second increase, a reset counted from zero, NaN without a previous sample', () => {
    const r = counterRates([0, 10, 20, 30, 40], [100, 150, Number.NaN, 250, 20]);
    expect(Array.from(r)).toEqual([Number.NaN, 5, Number.NaN, 5, 2]);
  });
});

describe('countersAsRates', () => {
  it('converts only columns named as counters that behave as counters', () => {
    const ts = Float64Array.from({ length: 40 }, (_, i) => i * 60);
    const c: CaseData = {
      name: 'c',
      timestamps: ts,
      series: [
        { key: 'a|requests_total', entity: 'a', metric: 'requests_total', values: Float64Array.from(total(40, 60)) },
        { key: 'a|bytes', entity: 'a', metric: 'bytes', values: Float64Array.from(total(40, 60)) },
        {
          key: 'a|cpu_seconds_total@x',
          entity: 'a',
          metric: 'cpu_seconds_total@x',
          values: Float64Array.from(total(40, 60)),
        },
        {
          key: 'a|errors_total',
          entity: 'a',
          metric: 'errors_total',
          values: Float64Array.from(ts, (t) => 1 + Math.sin(t)),
        },
      ],
      topology: [],
      spans: [],
      logs: [],
      incident: { start: 1200 },
      has: { metrics: true, topology: false, traces: false, logs: false },
    };
    const { data, converted } = countersAsRates(c);
    expect(converted).toEqual(['a|requests_total', 'a|cpu_seconds_total@x']);
    expect(data.series[0].values[5]).toBeCloseTo((60 * 5 + 2 - (60 * 4 + 1)) / 60, 9);
    expect(data.series[1]).toBe(c.series[1]);
  });
});

describe('a metrics dump with raw counters', () => {
  it('ranks as the same case exported as rates (fails without reading counters as rates)', async () => {
    const files = simCaseFiles({ type: 'cpu-hog', target: 'currencyservice' }, 4, {
      traceRatePerS: 1,
      traces: false,
      logs: false,
    });
    // cpu_usage (cores) and network (bytes/s) as the running totals a Prometheus dump without rate() holds.
    const cumulative = (name: string, text: string): string => {
      if (name !== 'metrics.csv') return text;
      const [head, ...rows] = text
        .trim()
        .split('\n')
        .map((l) => l.split(','));
      const cols = head.flatMap((h, j) => (/\|(cpu_usage|network_receive|network_transmit)$/.test(h) ? [j] : []));
      for (const j of cols) {
        head[j] = `${head[j]}_total`;
        let acc = 1e6;
        rows.forEach((r, i) => {
          acc += Number(r[j]) * (i === 0 ? 0 : Number(r[0]) - Number(rows[i - 1][0]));
          r[j] = String(acc);
        });
      }
      return `${[head, ...rows].map((r) => r.join(',')).join('\n')}\n`;
    };
    const plain = await readWritten(files);
    const dump = await readWritten(files, cumulative);
    expect(topEntities(plain)[0]).toBe('currencyservice');
    expect(topEntities(dump)).toEqual(topEntities(plain));
    expect(plain.counters).toBeUndefined();
    expect(dump.counters?.length).toBeGreaterThan(20);
  });
});

describe('counterRates across a gap', () => {
  it('gives no rate across a gap of many intervals (a normal day months before the incident)', () => {
    const ts = [0, 60, 120, 180, 10_000_000, 10_000_060];
    const r = counterRates(ts, [10, 20, 30, 40, 5_000, 5_010]);
    expect(Array.from(r)).toEqual([Number.NaN, 10 / 60, 10 / 60, 10 / 60, Number.NaN, 10 / 60]);
  });
});
