import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { CaseData, CaseSpan } from '../../src/cases/types.js';
import { parseSignals, SIGNALS, withoutSignals, type Signal } from '../../src/cases/without-signals.js';
import { scoreTraceShift } from '../../src/rca/trace-shift.js';

/** A case with every signal present, built fresh so a test cannot leak into another. */
function fullCase(): CaseData {
  return {
    name: 'demo-case',
    timestamps: Float64Array.from([100, 200, 300]),
    series: [{ key: 'front|latency', entity: 'front', metric: 'latency', values: Float64Array.from([1, 2, 9]) }],
    topology: [{ source: 'front', target: 'db' }],
    spans: [
      {
        traceId: 't1',
        spanId: 's1',
        parentSpanId: null,
        entity: 'front',
        operation: 'GET /',
        startNs: 1000,
        durationNs: 50,
        status: 'ok',
      },
      {
        traceId: 't1',
        spanId: 's2',
        parentSpanId: 's1',
        entity: 'db',
        operation: 'query',
        startNs: 1010,
        durationNs: 30,
        status: '500',
      },
    ],
    logs: [
      { timestamp: 150, entity: 'db', level: 'ERROR', message: 'connection refused' },
      { timestamp: 250, entity: 'front', level: 'info', message: 'GET / 200' },
    ],
    incident: { start: 200, entry: 'front', entryMetric: 'latency' },
    has: { metrics: true, topology: true, traces: true, logs: true },
  };
}

/** A span of trace t in a hand-drawn call tree (times do not matter to client-span removal). */
const span = (spanId: string, parentSpanId: string | null, entity: string): CaseSpan => ({
  traceId: 't',
  spanId,
  parentSpanId,
  entity,
  operation: 'op',
  startNs: 0,
  durationNs: 1,
  status: 'ok',
});

/** What each signal's removal should change, as a patch on fullCase(); everything else must stay equal. */
const EXPECTED: Record<Signal, (c: CaseData) => CaseData> = {
  traces: (c) => ({ ...c, spans: [], has: { ...c.has, traces: false } }),
  logs: (c) => ({ ...c, logs: [], has: { ...c.has, logs: false } }),
  topology: (c) => ({ ...c, topology: [], has: { ...c.has, topology: false } }),
  metrics: (c) => ({ ...c, series: [] }),
  levels: (c) => ({ ...c, logs: c.logs.map((l) => ({ ...l, level: '' })) }),
  status: (c) => ({ ...c, spans: c.spans.map((s) => ({ ...s, status: '' })) }),
  entry: (c) => ({ ...c, incident: { start: c.incident.start } }),
  // The case's trace has no client span (front's server span calls db's directly): nothing to remove.
  'client-spans': (c) => c,
};

describe('withoutSignals', () => {
  for (const signal of SIGNALS)
    it(`removes ${signal} and changes nothing else`, () => {
      const out = withoutSignals(fullCase(), new Set([signal]));
      expect(out).toStrictEqual(EXPECTED[signal](fullCase()));
    });

  it('takes client spans out and puts the callee under the caller’s server span, as server-only tracing writes it', () => {
    const c = {
      ...fullCase(),
      spans: [
        span('fe', null, 'front'),
        span('fe-int', 'fe', 'front'), // front's own internal span with no children: not a client span
        span('fc', 'fe', 'front'), // front's client span around db's server span
        span('db', 'fc', 'db'),
      ],
    };
    const out = withoutSignals(c, new Set<Signal>(['client-spans']));
    expect(out.spans.map((s) => [s.spanId, s.parentSpanId])).toEqual([
      ['fe', null],
      ['fe-int', 'fe'],
      ['db', 'fe'],
    ]);
  });

  it('takes out nested client spans, a retry’s attempts and their client span, until none is left', () => {
    const c = {
      ...fullCase(),
      spans: [
        span('s', null, 'front'),
        span('retry', 's', 'front'), // front's client span around two attempts
        span('a1', 'retry', 'front'),
        span('d1', 'a1', 'db'),
        span('a2', 'retry', 'front'),
        span('d2', 'a2', 'db'),
      ],
    };
    const out = withoutSignals(c, new Set<Signal>(['client-spans']));
    expect(out.spans.map((s) => [s.spanId, s.parentSpanId])).toEqual([
      ['s', null],
      ['d1', 's'],
      ['d2', 's'],
    ]);
    // What is left has no client span by trace-shift's rule: no call edge's wire time is judged.
    expect(scoreTraceShift(out.spans, 0).wires).toEqual([]);
    expect(withoutSignals(out, new Set<Signal>(['client-spans'])).spans).toStrictEqual(out.spans);
  });

  it('keeps the timestamps when the metrics go (the time axis still frames the incident)', () => {
    const out = withoutSignals(fullCase(), new Set<Signal>(['metrics']));
    expect(Array.from(out.timestamps)).toEqual([100, 200, 300]);
    expect(out.series).toEqual([]);
  });

  it('removes several signals at once', () => {
    const out = withoutSignals(fullCase(), parseSignals('traces,topology'));
    expect(out.spans).toEqual([]);
    expect(out.topology).toEqual([]);
    expect(out.logs).toStrictEqual(fullCase().logs);
    expect(out.series).toStrictEqual(fullCase().series);
  });

  it('does not mutate its input', () => {
    const c = fullCase();
    const out = withoutSignals(c, new Set(SIGNALS));
    expect(c).toStrictEqual(fullCase());
    expect(out).not.toBe(c);
    expect(out.spans).toEqual([]);
    expect(out.incident).toStrictEqual({ start: 200 });
    const blanked = withoutSignals(c, new Set<Signal>(['levels', 'status']));
    expect(blanked.logs[0]).not.toBe(c.logs[0]);
    expect(c.logs.map((l) => l.level)).toEqual(['ERROR', 'info']);
    expect(c.spans.map((s) => s.status)).toEqual(['ok', '500']);
  });

  it('with nothing to drop returns the case as read', () => {
    const c = fullCase();
    expect(withoutSignals(c, new Set())).toStrictEqual(fullCase());
  });
});

describe('parseSignals', () => {
  it('reads a comma list, ignoring spaces and empty items', () => {
    expect([...parseSignals(' traces, logs,,entry ')]).toEqual(['traces', 'logs', 'entry']);
    expect(parseSignals('').size).toBe(0);
  });

  it('rejects an unknown name, naming it, the option and the valid names', () => {
    let err: unknown;
    try {
      parseSignals('traces,spans');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as InputError).message;
    expect(msg).toContain('--without');
    expect(msg).toContain('"spans"');
    for (const s of SIGNALS) expect(msg).toContain(s);
  });
});
