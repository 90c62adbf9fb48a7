import { describe, expect, it } from 'vitest';
import { isErrorStatus } from '../../src/model/span-status.js';
import { rankMicroRank, type SpanIn } from '../../src/rca/microrank.js';
import { seededRng, type Rng } from '../../src/rca/rng.js';
import { indexSpans } from '../../src/rca/span-index.js';
import { scoreTraceShift } from '../../src/rca/trace-shift.js';
import { referenceMicroRank, referenceTraceShift, withLoopsCut } from './reference-trace-evidence.js';

const START = 100e9;
const OK_STATUSES = ['ok', 'ok', 'ok', '', '404'];
const FAILED_STATUSES = ['error', '500', 'STATUS_CODE_ERROR', 'UNAVAILABLE'];
const ENTITIES = ['fe', 'cart', 'pay', 'db', 'cache'];
// Operation names shared between entities: an operation is its entity and its name.
const OPERATIONS = ['get', 'post', 'call'];

/**
 * Random traces over 200 s with what real exports hold: callers calling their own client spans, callee
 * spans longer than their caller, a parent id no span has, a span id repeated within a trace, the
 * same span id in two traces, and traces interleaved rather than listed together.
 */
function randomSpans(seed: number, opts: { failAfterStart?: boolean } = {}): SpanIn[] {
  const rng = seededRng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
  const out: SpanIn[] = [];
  for (let t = 0; t < 80; t++) {
    const startNs = Math.floor(rng() * 200) * 1e9 + Math.floor(rng() * 1e6);
    const trace: SpanIn[] = [];
    const size = 1 + Math.floor(rng() * 9);
    for (let k = 0; k < size; k++) {
      const parent = k === 0 ? null : trace[Math.floor(rng() * k)];
      const entity = parent && rng() < 0.3 ? parent.entity : pick(ENTITIES);
      const failed = (opts.failAfterStart === true && startNs >= START) || rng() < 0.15;
      trace.push({
        traceId: `trace-${t}`,
        spanId: rng() < 0.05 && k > 0 ? trace[Math.floor(rng() * k)].spanId : `s${k}`,
        parentSpanId: parent === null ? null : rng() < 0.05 ? 'missing' : parent.spanId,
        entity,
        operation: pick(OPERATIONS),
        startNs: startNs + k * 1e5,
        durationNs: Math.floor((1 + rng() * 40 + (rng() < 0.1 ? 200 : 0)) * 1e6),
        status: pick(failed ? FAILED_STATUSES : OK_STATUSES),
      });
    }
    out.push(...trace);
  }
  return interleave(out, rng);
}

// Swaps a few spans far apart, so some traces' spans are no longer listed together.
function interleave(spans: SpanIn[], rng: Rng): SpanIn[] {
  for (let n = 0; n < spans.length / 10; n++) {
    const a = Math.floor(rng() * spans.length),
      b = Math.floor(rng() * spans.length);
    [spans[a], spans[b]] = [spans[b], spans[a]];
  }
  return spans;
}

describe('span index', () => {
  it('resolves parents, repeated span ids and interned ids as string-keyed maps of the spans do', () => {
    let loops = 0;
    for (const seed of [1, 2, 3]) {
      const spans = randomSpans(seed);
      const ix = indexSpans(spans);
      const cut = withLoopsCut(spans);
      loops += ix.loopsCut;
      const key = (s: SpanIn, id: string) => `${s.traceId}\u0000${id}`;
      const lastWithId = new Map<string, number>();
      spans.forEach((s, i) => lastWithId.set(key(s, s.spanId), i));
      const opIds = new Map<string, number>();
      spans.forEach((s) => {
        const op = `${s.entity}\u0000${s.operation}`;
        if (!opIds.has(op)) opIds.set(op, opIds.size);
      });
      spans.forEach((s, i) => {
        expect(ix.canonical[i]).toBe(lastWithId.get(key(s, s.spanId)));
        const p = cut[i].parentSpanId;
        expect(ix.parent[i]).toBe(p === null ? -1 : (lastWithId.get(key(s, p)) ?? -1));
        expect(ix.operation[i]).toBe(opIds.get(`${s.entity}\u0000${s.operation}`));
        expect(ix.entityNames[ix.operationEntity[ix.operation[i]]]).toBe(s.entity);
        expect(ix.operationNames[ix.operation[i]]).toBe(s.operation);
        expect(ix.failed[i] === 1).toBe(isErrorStatus(s.status));
        expect(spans[ix.byTrace[ix.traceStart[ix.trace[i]]]].traceId).toBe(s.traceId);
      });
      // The fixture must hold the cases it is meant to: repeated ids and parents not among the spans.
      expect(spans.some((s, i) => ix.canonical[i] !== i)).toBe(true);
      expect(spans.some((s, i) => s.parentSpanId !== null && ix.parent[i] === -1)).toBe(true);
    }
    // A repeated id can close a loop of parents (the last span with it stands for it): some seed has one.
    expect(loops).toBeGreaterThan(0);
  });

  it('lists each trace’s spans together, in input order', () => {
    const spans = randomSpans(4);
    const ix = indexSpans(spans);
    expect([...ix.byTrace].sort((a, b) => a - b)).toEqual(spans.map((_, i) => i));
    for (let t = 0; t < ix.traceCount; t++) {
      const members = ix.byTrace.subarray(ix.traceStart[t], ix.traceStart[t + 1]);
      expect([...members]).toEqual(spans.flatMap((s, i) => (s.traceId === spans[members[0]].traceId ? [i] : [])));
    }
  });
});

describe('trace evidence on the span index matches the string-keyed reference exactly', () => {
  const seeds = [1, 2, 3, 4, 5];

  it('trace shift: every operation, wire and entity, in the same order', () => {
    for (const seed of seeds) {
      const spans = randomSpans(seed);
      for (const more of [{}, { tailQuantile: 0 }, { minSpans: 2 }, { tailEffectiveSpans: 3 }]) {
        const opts = { ...more, replyGaps: false, callPatterns: false };
        const expected = referenceTraceShift(spans, START, opts);
        for (const actual of [scoreTraceShift(spans, START, opts), scoreTraceShift(indexSpans(spans), START, opts)]) {
          expect(actual).toEqual(expected);
          expect([...actual.entities.keys()]).toEqual([...expected.entities.keys()]);
        }
      }
    }
  });

  it('MicroRank: every operation’s score and counts, with or without traces before or after the start', () => {
    for (const seed of seeds) {
      const spans = randomSpans(seed);
      // 0: no trace before the start (all are baseline); 1e15: none after it (all are diagnosed).
      for (const start of [START, 0, 1e15]) {
        const expected = referenceMicroRank(spans, start);
        expect(rankMicroRank(spans, start)).toEqual(expected);
        expect(rankMicroRank(indexSpans(spans), start)).toEqual(expected);
      }
      expect(rankMicroRank(spans, START, { formula: 'dstar2' })).toEqual(
        referenceMicroRank(spans, START, { formula: 'dstar2' }),
      );
    }
  });

  it('MicroRank: when every diagnosed trace is anomalous, the baseline stands in as passing, as before', () => {
    const spans = randomSpans(6, { failAfterStart: true });
    expect(spans.filter((s) => s.startNs >= START).every((s) => isErrorStatus(s.status))).toBe(true);
    const expected = referenceMicroRank(spans, START);
    const actual = rankMicroRank(spans, START);
    expect(actual).toEqual(expected);
    expect([...actual.entities.keys()]).toEqual([...expected.entities.keys()]);
  });
});

describe('parent links that loop', () => {
  const span = (spanId: string, parentSpanId: string | null, startNs: number, traceId = 't1'): SpanIn => ({
    traceId,
    spanId,
    parentSpanId,
    entity: 'svc',
    operation: 'op',
    startNs,
    durationNs: 1e6,
    status: 'ok',
  });
  const walksEnd = (ix: ReturnType<typeof indexSpans>) => {
    for (let i = 0; i < ix.size; i++) {
      let steps = 0;
      for (let a = i; a >= 0; a = ix.parent[a]) if (++steps > ix.size) return false;
    }
    return true;
  };

  it('cuts each loop at its earliest span, which becomes a root, and leaves sound traces as they were', () => {
    const ix = indexSpans([
      // a → b → c → a, b the earliest; d hangs below c.
      span('a', 'c', 30),
      span('b', 'a', 10),
      span('c', 'b', 20),
      span('d', 'c', 40),
      // Two spans naming each other, in another trace; and a sound trace.
      span('x', 'y', 5, 't2'),
      span('y', 'x', 6, 't2'),
      span('r', null, 1, 't3'),
      span('s', 'r', 2, 't3'),
    ]);
    expect(ix.loopsCut).toBe(2);
    expect(walksEnd(ix)).toBe(true);
    expect(Array.from(ix.parent)).toEqual([2, -1, 1, 2, -1, 4, -1, 6]);
  });

  it('says so in the analysis notes', async () => {
    const { analyseCase } = await import('../../src/rca/analyse-case.js');
    const spans = [span('a', 'b', 100e9 + 1), span('b', 'a', 100e9 + 2)];
    const a = analyseCase({
      timestamps: Float64Array.from([0]),
      series: [],
      topology: [],
      spans,
      incident: { start: 100 },
    });
    expect(a.notes.join('\n')).toContain('1 loop of parent links among the spans');
  });

  it('counts spans whose parent the traces do not hold, and notes them from a tenth of the spans', async () => {
    const { analyseCase } = await import('../../src/rca/analyse-case.js');
    // A root, and a child whose parent is the root or a span nobody wrote (a caller without spans).
    const trace = (t: string, gap: boolean, rootParent: string | null = null) => [
      span(`${t}r`, rootParent, 100e9, t),
      span(`${t}c`, gap ? 'unwritten' : `${t}r`, 100e9 + 1, t),
    ];
    const notes = (spans: SpanIn[]) =>
      analyseCase({
        timestamps: Float64Array.from([0]),
        series: [],
        topology: [],
        spans,
        incident: { start: 100 },
      }).notes.join('\n');
    // 1 of 20 spans orphaned inside its trace: counted, not noted.
    const few = [...trace('e', true), ...Array.from({ length: 9 }, (_, k) => trace(`t${k}`, false)).flat()];
    expect(indexSpans(few).parentsMissing).toBe(1);
    expect(notes(few)).not.toContain('name a parent span');
    // Every root answers a load generator's span: the system's entry, not a gap.
    const client = Array.from({ length: 10 }, (_, k) => trace(`t${k}`, false, 'load-generator')).flat();
    expect(indexSpans(client).parentsMissing).toBe(0);
    expect(notes(client)).not.toContain('name a parent span');
    // Half the traces lose a caller inside the system.
    const many = Array.from({ length: 10 }, (_, k) => trace(`t${k}`, k % 2 === 1)).flat();
    expect(indexSpans(many).parentsMissing).toBe(5);
    expect(notes(many)).toContain('5 of 20 spans (25 %) name a parent span the traces do not hold');
  });
});
