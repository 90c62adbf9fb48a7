import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, LatencySketch } from '../../../src/ingest/traces/latency-sketch.js';

const exact = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];

describe('LatencySketch', () => {
  it('property: quantiles are within the relative accuracy of the exact order statistic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0.5, 0.9, 0.99),
        (xs, q) => {
          const s = new LatencySketch();
          for (const x of xs) s.add(x);
          const want = exact(xs, q);
          expect(Math.abs(s.quantile(q) - want)).toBeLessThanOrEqual(want * DEFAULTS.relativeAccuracy * 1.0001);
        },
      ),
    );
  });

  it('property: merging two sketches equals sketching all values; encode/decode round-trips', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true })),
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true })),
        (a, b) => {
          const [sa, sb, all] = [new LatencySketch(), new LatencySketch(), new LatencySketch()];
          for (const x of a) {
            sa.add(x);
            all.add(x);
          }
          for (const x of b) {
            sb.add(x);
            all.add(x);
          }
          expect(sa.merge(sb).encode()).toBe(all.encode());
          expect(LatencySketch.decode(all.encode()).encode()).toBe(all.encode());
        },
      ),
    );
  });

  it('rejects malformed text', () => {
    expect(() => LatencySketch.decode('1|x')).toThrow(/not a latency sketch/);
    expect(new LatencySketch().quantile(0.5)).toBeNaN();
  });
});
