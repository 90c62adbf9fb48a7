import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseCase, type CaseAnalysis } from '../../src/rca/analyse-case.js';
import { applyFeedback, rankOf, replayFeedback, type Feedback } from '../../src/rca/feedback.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { syntheticCase } from './helpers.js';

const ENTITIES = ['fe', 'a', 'b', 'c'];

describe('feedback', () => {
  it('confirming a cause visible only in a quieter metric type lifts it', () => {
    // b's errors moved (the cause); a's latency moved more (a symptom). Stats alone picks a.
    const analyses = new Map<string, CaseAnalysis>();
    for (const s of [1, 2, 3])
      analyses.set(`case${s}`, analyseCase(syntheticCase(s, { a: { latency: 30 }, b: { errors: 12 } })));
    const w0 = defaultWeights();
    const before = rankOf(analyses.get('case1') as CaseAnalysis, w0, 'stats', 'b', 1);
    expect(before).toBeGreaterThan(1);
    const rounds = [...analyses].map(([caseId, analysis]) => ({ caseId, analysis, rootCause: 'b' }));
    const w = replayFeedback(w0, rounds, 'stats');
    expect(w.metricTypes.errors).toBeGreaterThan(w.metricTypes.latency ?? 1);
    expect(rankOf(analyses.get('case1') as CaseAnalysis, w, 'stats', 'b', 1)).toBeLessThan(before);
  });

  it('never makes the ranking worse on the cases it was given', () => {
    const pool = [1, 2, 3, 4].map((s) =>
      analyseCase(
        syntheticCase(s, { a: { latency: 5 * s }, b: { errors: 20 - 3 * s }, c: { latency: s % 2 ? 15 : 2 } }),
      ),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ c: fc.integer({ min: 0, max: 3 }), e: fc.constantFrom(...ENTITIES), ok: fc.boolean() }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.constantFrom('stats' as const, 'fused' as const),
        (raw, method) => {
          const analyses = new Map(pool.map((a, i) => [`case${i}`, a]));
          const fb: Feedback[] = raw.map((r) => ({
            caseId: `case${r.c}`,
            entity: r.e,
            verdict: r.ok ? 'root-cause' : 'not-root-cause',
          }));
          const w0 = defaultWeights();
          const before = fb.map((f) => rankOf(analyses.get(f.caseId) as CaseAnalysis, w0, method, f.entity, 1));
          const { weights } = applyFeedback(w0, fb, analyses, method);
          fb.forEach((f, i) => {
            const after = rankOf(analyses.get(f.caseId) as CaseAnalysis, weights, method, f.entity, 1);
            if (f.verdict === 'root-cause') expect(after).toBeLessThanOrEqual(before[i]);
            else expect(after).toBeGreaterThanOrEqual(before[i]);
          });
        },
      ),
      { numRuns: 25, seed: 42 },
    );
  });
});
