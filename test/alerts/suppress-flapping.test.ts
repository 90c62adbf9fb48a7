import { describe, expect, it } from 'vitest';
import { flapDecision, isFlapping } from '../../src/alerts/suppress-flapping.js';

const MIN = 60_000;
/** Episodes of 1 min separated by `gapMin` minutes. */
const episodes = (n: number, gapMin: number) =>
  Array.from({ length: n }, (_, i) => ({ startsAt: i * (1 + gapMin) * MIN, endsAt: i * (1 + gapMin) * MIN + MIN }));

describe('flap suppression', () => {
  it('flags an alert that re-fires faster than the period, not one that re-fires slowly', () => {
    expect(isFlapping(episodes(3, 2), { periodMs: 10 * MIN, minToggles: 2 })).toBe(true);
    expect(isFlapping(episodes(2, 2), { periodMs: 10 * MIN, minToggles: 2 })).toBe(false);
    expect(isFlapping(episodes(5, 30), { periodMs: 10 * MIN, minToggles: 2 })).toBe(false);
    expect(isFlapping(episodes(5, 30), { periodMs: 60 * MIN, minToggles: 2 })).toBe(true);
  });
  it('a calm gap of at least the period ends flapping', () => {
    const occ = [...episodes(3, 2), { startsAt: 100 * MIN, endsAt: null }];
    expect(isFlapping(occ, { periodMs: 10 * MIN })).toBe(false);
    expect(flapDecision(occ, { periodMs: 10 * MIN })).toBe('forward');
  });
  it('holds quick re-fires and forwards calm ones', () => {
    expect(flapDecision(episodes(2, 2), { periodMs: 10 * MIN })).toBe('suppress');
    expect(flapDecision(episodes(2, 20), { periodMs: 10 * MIN })).toBe('forward');
  });
});

describe('isRecurrent', () => {
  const M = 60_000;
  it('is true when an earlier episode started within the lookback, and false after a calm hour', async () => {
    const { isRecurrent } = await import('../../src/alerts/suppress-flapping.js');
    expect(isRecurrent([{ startsAt: 0, endsAt: M }])).toBe(false);
    expect(
      isRecurrent([
        { startsAt: 0, endsAt: M },
        { startsAt: 40 * M, endsAt: null },
      ]),
    ).toBe(true);
    expect(
      isRecurrent([
        { startsAt: 0, endsAt: M },
        { startsAt: 61 * M, endsAt: null },
      ]),
    ).toBe(false);
    expect(
      isRecurrent(
        [
          { startsAt: 0, endsAt: M },
          { startsAt: 40 * M, endsAt: null },
        ],
        { recurrentMinPrior: 2 },
      ),
    ).toBe(false);
  });
});
