import { describe, expect, it } from 'vitest';
import { confidenceLine } from '../../src/assistant/incident-card.js';
import { accuracyByLevel, confidenceLevel } from '../../src/rca/confidence-levels.js';

describe('stated confidence in words', () => {
  it('cuts low below 0.1 and high from 0.5', () => {
    expect([0, 0.099, 0.1, 0.49, 0.5, 1].map((c) => confidenceLevel(c))).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
    ]);
  });

  it('measures how often the first suspect was right at each level', () => {
    const by = accuracyByLevel([
      { confidence: 0.02, rank: 1 },
      { confidence: 0.05, rank: 4 },
      { confidence: 0.2, rank: 2 },
      { confidence: 0.3, rank: 1 },
      { confidence: 0.4, rank: 0 },
    ]);
    expect(by.low).toEqual({ cases: 2, ac1: 0.5, ac3: 0.5 });
    expect(by.medium.cases).toBe(3);
    expect(by.medium.ac1).toBeCloseTo(1 / 3);
    expect(by.medium.ac3).toBeCloseTo(2 / 3);
    expect(by.high.cases).toBe(0);
    expect(by.high.ac1).toBeNaN();
  });

  it('tells the card what to make of a low one, with its caveats', () => {
    expect(confidenceLine({ value: 0.04, caveats: ['no traces', 'no logs'] })).toBe(
      'Confidence low (0.04): no traces; no logs. Treat the suspects as leads, not answers.',
    );
    expect(confidenceLine({ value: 0.72, caveats: [] })).toBe('Confidence high (0.72)');
    expect(confidenceLine(undefined)).toBeNull();
  });
});
