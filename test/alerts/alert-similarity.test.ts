import { describe, expect, it } from 'vitest';
import { alertSignature, jaccard, nameTokens, signatureSimilarity } from '../../src/alerts/alert-similarity.js';

describe('alert similarity', () => {
  it('splits names into words', () => {
    expect([...nameTokens('HighHTTPErrorRate_5m')]).toEqual(['high', 'http', 'error', 'rate', '5m']);
    expect([...nameTokens('KubePodCrashLooping')]).toEqual(['kube', 'pod', 'crash', 'looping']);
  });
  it('jaccard known answers', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3, 12);
    expect(jaccard(new Set(), new Set())).toBe(1);
  });
  it('ignores identity labels and weighs name against labels', () => {
    const a = alertSignature('HighErrorRate', { alertname: 'HighErrorRate', service: 'cart', severity: 'critical' });
    const b = alertSignature('HighErrorRate', { alertname: 'HighErrorRate', service: 'pay', severity: 'critical' });
    const c = alertSignature('HighLatency', { alertname: 'HighLatency', service: 'cart', severity: 'warning' });
    expect(signatureSimilarity(a, b)).toBe(1);
    expect(signatureSimilarity(a, c, 0.7)).toBeCloseTo(0.7 * (1 / 4), 12); // {high} of {high, error, rate, latency}; labels disjoint;
  });
});
