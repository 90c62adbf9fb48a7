import { describe, expect, it } from 'vitest';
import { epochUnit, normaliseTimeUnits } from '../../src/cases/time-units.js';
import type { CaseData } from '../../src/cases/types.js';
import { editColumns, readWritten, simCaseFiles, topEntities } from './helpers/sim-case.js';

const T = 1_700_000_000; // 2023-11-14, unix seconds

describe('epochUnit', () => {
  it('tells today in seconds, milliseconds, microseconds and nanoseconds apart, and nothing else', () => {
    expect(epochUnit(T)?.unit).toBe('s');
    expect(epochUnit(T * 1e3)?.unit).toBe('ms');
    expect(epochUnit(T * 1e6)?.unit).toBe('µs');
    expect(epochUnit(T * 1e9)?.unit).toBe('ns');
    for (const t of [0, -T, 200, 1_001_200, T * 1e2, Number.NaN]) expect(epochUnit(t)).toBeNull();
  });
});

const base: CaseData = {
  name: 'c',
  timestamps: Float64Array.from([T - 60, T]),
  series: [],
  topology: [],
  spans: [
    {
      traceId: 't',
      spanId: 's',
      parentSpanId: null,
      entity: 'a',
      operation: 'o',
      startNs: T * 1e9,
      durationNs: 5e6,
      status: '',
    },
  ],
  logs: [{ timestamp: T, entity: 'a', level: 'INFO', message: 'm' }],
  incident: { start: T },
  has: { metrics: true, topology: false, traces: true, logs: true },
};

describe('normaliseTimeUnits', () => {
  it('converts each time column that is in another unit, durations with their spans', () => {
    const slipped: CaseData = {
      ...base,
      timestamps: base.timestamps.map((t) => t * 1e3),
      spans: base.spans.map((s) => ({ ...s, startNs: s.startNs / 1e3, durationNs: s.durationNs / 1e3 })),
      logs: base.logs.map((l) => ({ ...l, timestamp: l.timestamp * 1e3 })),
      incident: { start: T * 1e3 },
    };
    const { data, fixed } = normaliseTimeUnits(slipped);
    expect(fixed.map((f) => `${f.what}: ${f.unit}`)).toEqual([
      'incident.json start: ms',
      'metrics.csv timestamp: ms',
      'logs.csv timestamp: ms',
      'traces.csv start_unix_ns (and duration_ns): µs',
    ]);
    expect(Array.from(data.timestamps)).toEqual(Array.from(base.timestamps));
    expect(data.incident.start).toBe(T);
    expect(data.logs[0].timestamp).toBe(T);
    expect(data.spans[0].startNs).toBe(T * 1e9);
    expect(data.spans[0].durationNs).toBe(5e6);
  });

  it('leaves a case in the right units, or in relative time, as it is', () => {
    expect(normaliseTimeUnits(base)).toEqual({ data: base, fixed: [] });
    const relative: CaseData = {
      ...base,
      timestamps: Float64Array.from([0, 60]),
      incident: { start: 30 },
      spans: [],
      logs: [],
    };
    expect(normaliseTimeUnits(relative).fixed).toEqual([]);
  });
});

describe('a case exported with metrics in milliseconds and spans in microseconds', () => {
  it('ranks as the same case in the format’s units (fails without the conversion)', async () => {
    const files = simCaseFiles({ type: 'cpu-hog', target: 'productcatalogservice' }, 5);
    const slip = (name: string, text: string): string =>
      name === 'metrics.csv'
        ? editColumns(text, [0], (t) => String(Math.round(Number(t) * 1000)))
        : name === 'traces.csv'
          ? editColumns(text, [5, 6], (t) => String(Math.round(Number(t) / 1000)))
          : text;
    const plain = await readWritten(files);
    const slipped = await readWritten(files, slip);
    expect(topEntities(plain)[0]).toBe('productcatalogservice');
    expect(topEntities(slipped, 5)).toEqual(topEntities(plain, 5));
    expect(plain.timeUnits).toBeUndefined();
    expect(slipped.timeUnits?.map((u) => u.unit)).toEqual(['ms', 'µs']);
  });
});
