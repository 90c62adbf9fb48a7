import { describe, expect, it } from 'vitest';
import type { SpanIn } from '../../src/rca/microrank.js';
import { childCoverage } from '../../src/rca/child-coverage.js';
import { childLists } from '../../src/rca/reply-gaps.js';
import { indexSpans } from '../../src/rca/span-index.js';

const MS = 1e6;
const span = (id: string, parent: string | null, startMs: number, ms: number): SpanIn => ({
  traceId: 't',
  spanId: id,
  parentSpanId: parent,
  entity: id,
  operation: 'op',
  startNs: startMs * MS,
  durationNs: ms * MS,
  status: 'ok',
});

function coverageOfRoot(children: SpanIn[]): number {
  const ix = indexSpans([span('r', null, 0, 100), ...children]);
  return childCoverage(ix, childLists(ix))[0] / MS;
}

describe('child coverage', () => {
  it('counts calls one after another in full', () => {
    expect(coverageOfRoot([span('a', 'r', 10, 20), span('b', 'r', 40, 30)])).toBe(50);
  });

  it('counts overlapping calls once', () => {
    expect(coverageOfRoot([span('a', 'r', 10, 30), span('b', 'r', 20, 30), span('c', 'r', 25, 5)])).toBe(40);
  });

  it('counts a call only while its parent ran (a consumer running on, a clock ahead)', () => {
    expect(coverageOfRoot([span('a', 'r', 90, 50), span('b', 'r', -5, 15)])).toBe(20);
    expect(coverageOfRoot([span('late', 'r', 120, 10)])).toBe(0);
  });

  it('leaves a span without children at 0', () => {
    const ix = indexSpans([span('r', null, 0, 100), span('a', 'r', 10, 20)]);
    expect(childCoverage(ix, childLists(ix))[1]).toBe(0);
  });
});
