import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseData } from '../../src/cases/types.js';
import { analyseCase, type CaseAnalysis } from '../../src/rca/analyse-case.js';
import { rankingConfidence } from '../../src/rca/confidence.js';
import { readWritten, simCaseFiles } from '../cases/helpers/sim-case.js';

describe('rankingConfidence: a first suspect that shows nothing of its own', () => {
  let c: CaseData;
  let a: CaseAnalysis;
  beforeAll(async () => {
    c = await readWritten(simCaseFiles({ type: 'cpu-hog', target: 'cartservice' }, 3));
    a = analyseCase(c);
  });

  it('keeps the confidence of a suspect whose own state moved (its CPU)', () => {
    expect(a.ownState?.[a.graph.index.get('cartservice') as number]).toBeGreaterThan(3);
    const plain = rankingConfidence(a, [1, 0.4]);
    const named = rankingConfidence(a, [1, 0.4], { top: 'cartservice' });
    expect(named).toEqual(plain);
  });

  it('lowers it, and says why, for a suspect whose CPU, memory, logs and traces stayed in their normal range', () => {
    const idle = 'shippingservice';
    expect(a.ownState?.[a.graph.index.get(idle) as number]).toBeLessThan(1);
    const plain = rankingConfidence(a, [1, 0.4]);
    const named = rankingConfidence(a, [1, 0.4], { top: idle });
    expect(named.confidence).toBeCloseTo(plain.confidence * 0.2, 2);
    expect(named.notes).toContainEqual(expect.stringMatching(/^the first suspect shows nothing of its own/));
  });

  it('does not judge a suspect whose own state is unknown (no CPU, memory or restart series, no logs, no spans)', () => {
    const blind = analyseCase({
      ...c,
      spans: [],
      logs: [],
      series: c.series.filter((s) => !/cpu|memory|restart/.test(s.metric)),
    });
    expect(blind.ownState?.[blind.graph.index.get('shippingservice') as number]).toBeNull();
    expect(rankingConfidence(blind, [1, 0.4], { top: 'shippingservice' })).toEqual(rankingConfidence(blind, [1, 0.4]));
  });
});
