import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { parseMetricPush } from '../../../src/ingest/metrics/parse-metric-push.js';

describe('parseMetricPush', () => {
  it('reads series; null is no sample; a bad series is rejected with its path', () => {
    const out = parseMetricPush({
      series: [
        { entity: 'cart', metric: 'cpu', timestamps: [1, 2], values: [0.5, null] },
        { entity: 'a|b', metric: 'cpu', timestamps: [], values: [] },
        { entity: 'cart', metric: 'mem', timestamps: [1, 2], values: [1] },
      ],
    });
    expect(out.accepted.map((s) => s.v)).toEqual([0.5, Number.NaN]);
    expect(out.rejected).toEqual([
      { where: 'series[1].entity', reason: 'expected a non-empty string without "|"' },
      { where: 'series[2].values', reason: 'expected 2 values like timestamps, got 1' },
    ]);
    expect(() => parseMetricPush({ samples: [] })).toThrow(InputError);
  });

  it('property: every series is accepted or rejected, never both, never a crash', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.jsonValue(),
            fc.record({
              entity: fc.string(),
              metric: fc.string(),
              timestamps: fc.array(fc.jsonValue(), { maxLength: 3 }),
              values: fc.array(fc.jsonValue(), { maxLength: 3 }),
            }),
          ),
          { maxLength: 6 },
        ),
        (series) => {
          const out = parseMetricPush({ series });
          expect(out.series + out.rejected.length).toBe(series.length);
        },
      ),
      { numRuns: 400 },
    );
  });
});
