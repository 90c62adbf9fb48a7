import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { analyseCase, type CaseAnalysis } from '../../src/rca/analyse-case.js';
import { ANALYSIS_FORMAT, analysisFromJson, analysisToJson } from '../../src/rca/analysis-json.js';
import { METHODS, rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { readWritten, simCaseFiles } from '../cases/helpers/sim-case.js';

const roundTrip = (a: CaseAnalysis): CaseAnalysis => analysisFromJson(analysisToJson(a), 'test')!;

describe('a case analysis as stored JSON', () => {
  it('ranks the same after the round trip, by every method, with traces, logs and metrics', async () => {
    const a = analyseCase(await readWritten(simCaseFiles({ type: 'error-return', target: 'cartservice' }, 3)));
    expect(a.traces).not.toBeNull();
    expect(a.logs.size).toBeGreaterThan(0);
    const b = roundTrip(a);
    for (const method of METHODS) {
      const rank = (x: CaseAnalysis) => rankRootCauses(x, defaultWeights(), { method, rng: seededRng(7) });
      expect(rank(b), method).toEqual(rank(a));
    }
  });

  it('keeps typed arrays, Maps and non-finite numbers as they were', () => {
    const a = {
      graph: { nodes: ['a', 'b'], index: new Map([['a', 0]]) },
      types: ['cpu'],
      z: Float64Array.from([1.5, 0.1 + 0.2]),
      hosts: Uint8Array.from([0, 1]),
      split: { anomalous: Int32Array.from([4, 5]) },
      odd: [NaN, Infinity, -Infinity, -0],
      nested: new Map([['x', { score: NaN, inner: Float64Array.from([NaN, 2]) }]]),
    } as unknown as CaseAnalysis;
    const b = roundTrip(a) as unknown as typeof a & {
      odd: number[];
      nested: Map<string, { score: number; inner: Float64Array }>;
    };
    expect(b.z).toBeInstanceOf(Float64Array);
    expect([...b.z]).toEqual([1.5, 0.1 + 0.2]);
    expect(b.hosts).toBeInstanceOf(Uint8Array);
    expect(b.split.anomalous).toBeInstanceOf(Int32Array);
    expect(b.graph.index.get('a')).toBe(0);
    expect(b.odd).toEqual([NaN, Infinity, -Infinity, -0]);
    expect(Object.is(b.odd[3], -0)).toBe(true);
    expect(b.nested.get('x')?.score).toBeNaN();
    expect([...(b.nested.get('x')?.inner ?? [])]).toEqual([NaN, 2]);
  });

  it('refuses what it could not bring back as it was (a Set, a Date) rather than store it changed', () => {
    for (const odd of [new Set([1]), new Date(0)])
      expect(() => analysisToJson({ odd } as unknown as CaseAnalysis)).toThrow(/no tag for (Set|Date)/);
  });

  it('reads another format as nothing (re-analyse), and rejects text that is not an analysis, saying where', () => {
    const other = JSON.stringify({ format: ANALYSIS_FORMAT + 1, analysis: {} });
    expect(analysisFromJson(other, 'RcaEvidence:1')).toBeUndefined();
    expect(() => analysisFromJson('{"format":', 'RcaEvidence:1 › analysis')).toThrow(
      /RcaEvidence:1 › analysis: not JSON/,
    );
    const short = analysisToJson({
      graph: { nodes: ['a', 'b'] },
      types: ['cpu'],
      z: Float64Array.from([1]),
    } as unknown as CaseAnalysis);
    const err = (() => {
      try {
        analysisFromJson(short, 'RcaEvidence:2');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/RcaEvidence:2: z holds 1 values, expected nodes × types = 2/);
  });
});
