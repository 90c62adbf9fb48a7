import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { groupingAccuracy } from '../../src/logs/grouping-accuracy.js';

describe('groupingAccuracy', () => {
  it('known answers', () => {
    // Truth: a a b b c. Parser merges b with c and splits nothing else → only the a lines count.
    expect(groupingAccuracy(['a', 'a', 'b', 'b', 'c'], ['1', '1', '2', '2', '2']).correctLines).toBe(2);
    // Parser splits a → a's lines are wrong, b and c right.
    const r = groupingAccuracy(['a', 'a', 'b', 'b', 'c'], ['1', '9', '2', '2', '3']);
    expect(r.correctLines).toBe(3);
    expect(r.accuracy).toBeCloseTo(0.6, 12);
    expect(r.parsedGroups).toBe(4);
    expect(r.trueGroups).toBe(3);
    expect(groupingAccuracy(['a', 'b'], ['x', 'x']).accuracy).toBe(0);
    expect(groupingAccuracy([], []).accuracy).toBe(1);
  });

  it('rejects inputs of different lengths', () => {
    expect(() => groupingAccuracy(['a'], [])).toThrow(InputError);
  });

  it('is 1 for any relabelling of the truth, and never above 1 (property)', () => {
    const labels = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 40 });
    fc.assert(
      fc.property(labels, labels, (t, p) => {
        const truth = t.map(String);
        expect(
          groupingAccuracy(
            truth,
            truth.map((x) => `g${x}`),
          ).accuracy,
        ).toBe(1);
        const parsed = truth.map((_, i) => String(p[i % Math.max(1, p.length)] ?? 0));
        const ga = groupingAccuracy(truth, parsed).accuracy;
        expect(ga).toBeGreaterThanOrEqual(0);
        expect(ga).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('merging everything is correct only when there is one true event (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 30 }), (t) => {
        const truth = t.map(String);
        const ga = groupingAccuracy(
          truth,
          truth.map(() => 'all'),
        ).accuracy;
        expect(ga).toBe(new Set(truth).size === 1 ? 1 : 0);
      }),
    );
  });
});
