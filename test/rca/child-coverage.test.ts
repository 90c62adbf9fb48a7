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

  it('moves a child that sticks out of its parent, no longer than it, back inside (a clock ahead or behind)', () => {
    expect(coverageOfRoot([span('ahead', 'r', 90, 30)])).toBe(30);
    expect(coverageOfRoot([span('behind', 'r', -5, 15), span('b', 'r', 50, 10)])).toBe(25);
  });

  it('counts a child longer than its parent only while the parent ran (a call given up on)', () => {
    expect(coverageOfRoot([span('hung', 'r', 60, 500)])).toBe(40);
  });

  it('counts nothing for a child that starts after its parent ended (never waited for)', () => {
    expect(coverageOfRoot([span('late', 'r', 120, 10)])).toBe(0);
  });

  it('orders moved children before merging them', () => {
    // 'a' moves back to 70..100, before 'b' at 80..90 in start order: the union is 70..100.
    expect(coverageOfRoot([span('b', 'r', 80, 10), span('a', 'r', 95, 30)])).toBe(30);
  });

  it('leaves a span without children at 0', () => {
    const ix = indexSpans([span('r', null, 0, 100), span('a', 'r', 10, 20)]);
    expect(childCoverage(ix, childLists(ix))[1]).toBe(0);
  });
});
