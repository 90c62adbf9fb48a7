import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseData } from '../../src/cases/types.js';
import { analyseCase, type CaseAnalysis } from '../../src/rca/analyse-case.js';
import { rankingConfidence } from '../../src/rca/confidence.js';
import { confidenceLevel } from '../../src/rca/confidence-levels.js';
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
    expect(named.confidence).toBeCloseTo(Math.min(plain.confidence * 0.2, 0.09), 2);
    expect(confidenceLevel(named.confidence)).toBe('low');
    // A ranking stated high stays no better than low (none of the fit cases' such suspects was right).
    expect(confidenceLevel(rankingConfidence(a, [1, 0], { top: idle }).confidence)).toBe('low');
    expect(named.notes).toContainEqual(expect.stringMatching(/^the first suspect shows nothing of its own/));
  });

  it('reads a suspect by every node that stands for it (a Service and its Pod): the most any shows', () => {
    const plain = rankingConfidence(a, [1, 0.4]);
    expect(rankingConfidence(a, [1, 0.4], { top: ['shippingservice', 'cartservice'] })).toEqual(plain);
    expect(rankingConfidence(a, [1, 0.4], { top: ['shippingservice'] }).confidence).toBeLessThan(plain.confidence);
  });

  it('counts the latency and errors of a service that calls nothing as its own', async () => {
    const e = await readWritten(simCaseFiles({ type: 'error-return', target: 'paymentservice' }, 1));
    // Without logs and spans, only its metrics speak; its CPU and memory do not move, its errors do.
    const metricsOnly = { ...e, spans: [], logs: [] };
    const own = (x: CaseAnalysis, node: string) => x.ownState?.[x.graph.index.get(node) as number] ?? null;
    const m = analyseCase(metricsOnly);
    expect(own(m, 'paymentservice')).toBeGreaterThan(10);
    const withoutSlis = { ...metricsOnly, series: e.series.filter((s) => !/latency|error/.test(s.metric)) };
    expect(own(analyseCase(withoutSlis), 'paymentservice')).toBeLessThan(1);
    // A service with callees does not own its SLIs (they include what it calls): checkout's errors rose too.
    const checkoutErrors = m.moves[m.graph.index.get('checkoutservice') as number].find(
      (x) => x.metric === 'error_rate',
    );
    expect(checkoutErrors?.harm ?? 0).toBeGreaterThan(3);
    expect(own(m, 'checkoutservice')).toBeLessThan(1);
  });

  it('does not judge a suspect whose own state is unknown (no CPU, memory, restart, network or SLI series, no logs, no spans)', () => {
    // Network series would count where the requests held steady: they go too, the request rate stays.
    const blind = analyseCase({
      ...c,
      spans: [],
      logs: [],
      series: c.series.filter((s) => !/cpu|memory|restart|latency|error|network/.test(s.metric)),
    });
    expect(blind.ownState?.[blind.graph.index.get('shippingservice') as number]).toBeNull();
    expect(rankingConfidence(blind, [1, 0.4], { top: 'shippingservice' })).toEqual(rankingConfidence(blind, [1, 0.4]));
  });
});
