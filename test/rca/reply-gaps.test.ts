import { describe, expect, it } from 'vitest';
import type { SpanIn } from '../../src/rca/microrank.js';
import { childLists, replyGaps } from '../../src/rca/reply-gaps.js';
import { indexSpans } from '../../src/rca/span-index.js';

// A span of trace t from `fromMs` lasting `ms`.
const span = (id: string, parent: string | null, entity: string, fromMs: number, ms: number): SpanIn => ({
  traceId: 't',
  spanId: id,
  parentSpanId: parent,
  entity,
  operation: 'op',
  startNs: fromMs * 1e6,
  durationNs: ms * 1e6,
  status: 'ok',
});

function gapsMs(spans: SpanIn[], skip: (id: string) => boolean = () => false): Record<string, number> {
  const ix = indexSpans(spans);
  const gap = replyGaps(ix, childLists(ix), (p) => skip(spans[p].spanId));
  return Object.fromEntries(spans.map((s, i) => [s.spanId, gap[i] / 1e6]));
}

describe('reply gaps', () => {
  it("sequential calls: the time from each callee's end to the caller's next call, or to its end", () => {
    const g = gapsMs([span('a', null, 'fe', 0, 100), span('x', 'a', 'cart', 10, 30), span('y', 'a', 'pay', 60, 20)]);
    expect(g.x).toBeCloseTo(20); // 40 → 60
    expect(g.y).toBeCloseTo(20); // 80 → 100
    expect(g.a).toBeNaN(); // a root has no caller
  });

  it('calls in parallel have no gap: the wait after one may be for the other', () => {
    const g = gapsMs([
      span('a', null, 'fe', 0, 100),
      span('x', 'a', 'cart', 10, 30),
      span('y', 'a', 'pay', 12, 60),
      span('z', 'a', 'ad', 80, 5),
    ]);
    expect(g.x).toBeNaN();
    expect(g.y).toBeNaN();
    expect(g.z).toBeCloseTo(15); // ran alone: 85 → 100
  });

  it('children listed out of order, a call starting the moment another ends, a repeated span, an empty span', () => {
    const g = gapsMs([
      span('a', null, 'fe', 0, 100),
      span('y', 'a', 'pay', 40, 20), // listed before x, starts after it
      span('x', 'a', 'cart', 10, 30), // ends at 40, when y starts: not overlapping
      span('e', 'a', 'ad', 70, 0), // empty, then w at 75
      span('w', 'a', 'email', 75, 5),
    ]);
    expect(g.x).toBe(0);
    expect(g.y).toBeCloseTo(10); // 60 → 70
    expect(g.e).toBeCloseTo(5);
    expect(g.w).toBeCloseTo(20);
    // An export that writes a span twice: the copies are one call, not two.
    const twice = [span('a', null, 'fe', 0, 100), span('x', 'a', 'cart', 10, 30), span('x', 'a', 'cart', 10, 30)];
    const ix = indexSpans(twice);
    expect(childLists(ix).kids).toHaveLength(1);
  });

  it("a child of its own service's span, a child of a skipped span, and an overrunning child", () => {
    const g = gapsMs(
      [
        span('a', null, 'fe', 0, 100),
        span('i', 'a', 'fe', 5, 10), // fe's own internal span
        span('c', 'a', 'fe', 20, 50), // a client span (skipped as a parent below)
        span('s', 'c', 'pay', 21, 40),
        span('late', 'a', 'cart', 80, 40), // ends after its parent (clock skew)
      ],
      (id) => id === 'c',
    );
    expect(g.i).toBeNaN();
    expect(g.s).toBeNaN();
    expect(g.c).toBeNaN();
    expect(g.late).toBe(0);
  });
});
