import { describe, expect, it } from 'vitest';
import { analyseCase, type RcaInput } from '../../src/rca/analyse-case.js';
import { buildBehaviourGraph } from '../../src/rca/behaviour-graph.js';
import { traceExplainedSli } from '../../src/rca/explain-away.js';
import { traceEvidence } from '../../src/rca/node-evidence.js';
import type { TraceShiftResult } from '../../src/rca/trace-shift.js';
import type { SpanIn } from '../../src/rca/microrank.js';
import { rankRootCauses } from '../../src/rca/rank-root-causes.js';
import { seededRng } from '../../src/rca/rng.js';
import { defaultWeights } from '../../src/rca/weights.js';
import { syntheticCase } from './helpers.js';

// Five traces a minute over the case's 66 minutes: fe → a → c, with c's own work `cMs(t)`.
function spans(c: RcaInput, cMs: (afterStart: boolean, i: number) => number, every = 1): SpanIn[] {
  const out: SpanIn[] = [];
  const t0 = c.timestamps[0];
  for (let i = 0; i < 66 * 5; i += every) {
    const startS = t0 + i * 12;
    const after = startS >= c.incident.start;
    const cDur = cMs(after, i) + (i % 4) * 0.2;
    const aDur = 5 + (i % 3) * 0.1 + cDur;
    const feDur = 10 + (i % 5) * 0.2 + aDur;
    const span = (id: string, parent: string | null, entity: string, ms: number) =>
      out.push({
        traceId: `t${i}`,
        spanId: id,
        parentSpanId: parent,
        entity,
        operation: `${entity}-op`,
        startNs: startS * 1e9,
        durationNs: ms * 1e6,
        status: 'ok',
      });
    span('fe', null, 'fe', feDur);
    span('a', 'fe', 'a', aDur);
    span('c', 'a', 'c', cDur);
  }
  return out;
}

const top = (input: RcaInput) => rankRootCauses(analyseCase(input), defaultWeights(), { rng: seededRng(1) })[0].entity;

describe('an SLI move that traces explain by a callee', () => {
  // Only the SLIs of the entry and of a (which calls c) moved in metrics (c reports no latency of its
  // own that moved, as when its latency is known from traces alone); the traces say c's own work slowed.
  const metricsOnly = () => syntheticCase(3, { fe: { latency: 60 }, a: { latency: 60 } });

  it('without traces the deepest service whose SLI moved ranks first (the metrics point at a, not c)', () => {
    expect(top(metricsOnly())).toBe('a');
  });

  it("with traces the callee whose own self time slowed ranks first, its caller's symptom capped at its own shift", () => {
    const input = metricsOnly();
    input.spans = spans(input, (after) => (after ? 60 : 5));
    const a = analyseCase(input);
    const caller = a.graph.index.get('a') as number;
    const latency = a.types.indexOf('latency');
    expect(a.traceShift?.entities.get('c')?.score ?? 0).toBeGreaterThan(3);
    expect(a.z[caller * a.types.length + latency]).toBeLessThan(3);
    expect(top(input)).toBe('c');
  });

  it('traces that show no own shift anywhere explain nothing: the metrics stand', () => {
    const input = metricsOnly();
    input.spans = spans(input, () => 5);
    const a = analyseCase(input);
    const caller = a.graph.index.get('a') as number;
    expect(a.z[caller * a.types.length + a.types.indexOf('latency')]).toBeGreaterThan(20);
    expect(['fe', 'a']).toContain(top(input));
  });

  it('resource metrics are never capped by traces', () => {
    const input = metricsOnly();
    input.series = [
      ...input.series,
      {
        entity: 'fe',
        metric: 'cpu_usage',
        values: Float64Array.from(input.timestamps, (t, i) => 1 + (i % 3) * 0.01 + (t >= input.incident.start ? 5 : 0)),
      },
    ];
    input.spans = spans(input, (after) => (after ? 60 : 5));
    const a = analyseCase(input);
    const fe = a.graph.index.get('fe') as number;
    expect(a.z[fe * a.types.length + a.types.indexOf('cpu_usage')]).toBeGreaterThan(20);
  });

  it("caps a caller's inclusive SLI at what its own shift counts as node evidence, not at its raw z", () => {
    // fe → a → c. c's own shift (3.4) is past anomalousZ and larger than a's (1.4, noise-level): a's
    // latency is explained and counts as a's own trace evidence would, 0 below the noise margin; before,
    // it kept 1.4 and outranked c, whose shift counts only 0.4 beyond the margin.
    const graph = buildBehaviourGraph({
      entities: ['fe', 'a', 'c'],
      topology: [
        { source: 'fe', target: 'a' },
        { source: 'a', target: 'c' },
      ],
    });
    const own = (score: number) => ({
      score,
      judged: true,
      op: { entity: '', operation: 'op', kind: 'own' as const, latencyZ: score, errorZ: 0, callsZ: 0, judged: true },
    });
    const shift: TraceShiftResult = {
      entities: new Map([
        ['fe', own(1)],
        ['a', own(1.4)],
        ['c', own(3.4)],
      ]),
      operations: [],
      wires: [],
      replies: [],
      callDrops: [],
    };
    const cap = traceExplainedSli(graph, shift, 3);
    const at = (e: string) => cap[graph.index.get(e) as number];
    expect(at('a')).toBe(traceEvidence(1.4));
    expect(at('a')).toBe(0);
    expect(at('c')).toBe(Infinity);
    shift.entities.set('a', own(3.2));
    shift.entities.set('c', own(5));
    expect(traceExplainedSli(graph, shift, 3)[graph.index.get('a') as number]).toBeCloseTo(traceEvidence(3.2), 12);
    expect(traceEvidence(3.2)).toBeGreaterThan(0);
  });
});
