import { describe, expect, it } from 'vitest';
import { parseSuspectExplanation } from '../../src/model/suspect-explanation.js';

describe('parseSuspectExplanation', () => {
  it('reads the current shape back as it was written', () => {
    const e = {
      components: { stats: 1, walk: 0.5 },
      metrics: [{ metric: 'latency', z: 12, normal: 100, peak: 900, harm: 12 }],
      logTemplates: [{ template: 'timeout to <*>', windowCount: 9, expected: 0.5, z: 12 }],
      trace: { operation: 'GET /cart', score: 0.9 },
      changes: [{ entity: 'cart', at: 1_700_000_000, description: 'rollout v2' }],
      path: ['cart', 'frontend'],
      graph: 'topology',
    };
    expect(parseSuspectExplanation(JSON.parse(JSON.stringify(e)))).toEqual(e);
  });

  it('converts older stored shapes: `text` or bare-string templates, change times in milliseconds, `kind`', () => {
    const e = parseSuspectExplanation({
      logTemplates: [{ text: 'boom <*>' }, 'plain template'],
      changes: [{ at: 1_700_000_000_000, kind: 'rollout' }],
    });
    expect(e.logTemplates).toEqual([{ template: 'boom <*>' }, { template: 'plain template' }]);
    expect(e.changes).toEqual([{ at: 1_700_000_000, description: 'rollout' }]);
  });

  it('keeps the parts that parse, reads null numbers as NaN, and never throws', () => {
    const e = parseSuspectExplanation({ metrics: 'oops', path: ['a'], trace: { operation: 'op', score: null } });
    expect(e.metrics).toBeUndefined();
    expect(e.path).toEqual(['a']);
    expect(Number.isNaN(e.trace?.score)).toBe(true);
    expect(parseSuspectExplanation(null)).toEqual({});
    expect(parseSuspectExplanation(42)).toEqual({});
  });
});
