import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencySketch } from '../../../src/ingest/traces/latency-sketch.js';
import { CallWindows } from '../../../src/ingest/traces/call-windows.js';

const values = fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 200 });
const sketchOf = (xs: number[]) => {
  const s = new LatencySketch();
  for (const x of xs) s.add(x);
  return s;
};

describe('LatencySketch: several quantiles at once, and subtraction', () => {
  it('property: quantiles(qs) gives what each quantile(q) gives', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const s = sketchOf(xs);
        const qs = [0, 0.25, 0.5, 0.95, 0.99, 1];
        expect(s.quantiles(qs)).toEqual(qs.map((q) => s.quantile(q)));
      }),
    );
  });

  it('property: merging b then subtracting it leaves a as it was', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        const s = sketchOf(a).merge(sketchOf(b)).subtract(sketchOf(b));
        expect(s.encode()).toBe(sketchOf(a).encode());
        expect(s.count).toBe(a.length);
      }),
    );
  });
});

describe('CallWindows totals after windows are dropped', () => {
  it('property: p50/p99 over the retained windows equal a sketch of only their calls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0.01, max: 1e3, noNaN: true })), {
          minLength: 1,
          maxLength: 200,
        }),
        (calls) => {
          const w = new CallWindows(1_000, 5);
          for (const [window, ms] of calls) w.add(window * 1_000 + 1, ms, false);
          const kept = new Set((w.toProps().windowStarts as number[]).map((s) => s / 1_000));
          const only = sketchOf(calls.filter(([window]) => kept.has(window)).map(([, ms]) => ms));
          const round = (x: number) => Math.round(x * 1000) / 1000;
          expect(w.toProps()).toMatchObject({ p50: round(only.quantile(0.5)), p99: round(only.quantile(0.99)) });
        },
      ),
    );
  });
});
