import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCase } from '../../src/cases/read-case.js';
import { epochUnit, normaliseTimeUnits } from '../../src/cases/time-units.js';
import type { CaseData } from '../../src/cases/types.js';
import { analyseCase } from '../../src/rca/analyse-case.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { simulate, toCaseFiles } from '../../src/sim/index.js';

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
    const run = simulate({
      system: 'online-boutique',
      seed: 5,
      start: Date.UTC(2026, 0, 5, 10),
      durationS: 3_600,
      stepS: 30,
      faults: [{ type: 'cpu-hog', target: 'productcatalogservice', startS: 2_700, durationS: 600 }],
      traceRatePerS: 2,
    });
    const files = toCaseFiles(run);
    const slip = (name: string, text: string): string => {
      if (name !== 'metrics.csv' && name !== 'traces.csv') return text;
      const [head, ...rows] = text.split('\n');
      const cols = name === 'metrics.csv' ? [0] : [5, 6];
      const by = name === 'metrics.csv' ? 1000 : 1e-3;
      return [
        head,
        ...rows.map((r) => {
          if (r === '') return r;
          const cells = r.split(',');
          for (const c of cols) cells[c] = String(Math.round(Number(cells[c]) * by));
          return cells.join(',');
        }),
      ].join('\n');
    };
    const rank = async (edit: (name: string, text: string) => string) => {
      const dir = join(await mkdtemp(join(tmpdir(), 'rg-units-')), 'case');
      await mkdir(dir);
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), edit(name, text));
      const c = await readCase(dir);
      const ranking = rankRootCauses(analyseCase(c), defaultWeights(), { method: 'fused', rng: seededRng(1) });
      return { units: c.timeUnits?.map((u) => u.unit) ?? [], top: ranking.slice(0, 5).map((r) => r.entity) };
    };
    const plain = await rank((_n, t) => t);
    const slipped = await rank(slip);
    expect(plain.top[0]).toBe('productcatalogservice');
    expect(slipped.top).toEqual(plain.top);
    expect(plain.units).toEqual([]);
    expect(slipped.units).toEqual(['ms', 'µs']);
  });
});
