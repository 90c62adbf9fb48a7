/**
 * How much of each span its children cover: the time (ns) during which at least one child ran, inside
 * the span's own interval. Calls made in parallel count once, and a child running on after its parent
 * ended (an async consumer, a call given up on) counts only up to the parent's end, so a span's self
 * time (its duration less this) is its own work and waiting, as in Jaeger's critical-path view. Pure.
 */
import type { ChildLists } from './reply-gaps.js';
import type { SpanIndex } from './span-index.js';

/** Per span at its canonical index: the union of its children's intervals clipped to its own, in ns. O(spans). */
export function childCoverage(ix: SpanIndex, lists: ChildLists): Float64Array {
  const { size, startNs, durationNs } = ix;
  const { start, kids } = lists;
  const covered = new Float64Array(size);
  for (let p = 0; p < size; p++) {
    const from = start[p],
      to = start[p + 1];
    if (from === to) continue;
    const pStart = startNs[p],
      pEnd = pStart + durationNs[p];
    let sum = 0,
      runStart = 0,
      runEnd = -Infinity; // the merged run of children being extended
    // Children are in order of start (childLists), so clipped starts are too.
    for (let k = from; k < to; k++) {
      const c = kids[k];
      const s = Math.max(startNs[c], pStart),
        e = Math.min(startNs[c] + durationNs[c], pEnd);
      if (e <= s) continue;
      if (s > runEnd) {
        if (runEnd > runStart) sum += runEnd - runStart;
        runStart = s;
        runEnd = e;
      } else if (e > runEnd) runEnd = e;
    }
    if (runEnd > runStart) sum += runEnd - runStart;
    covered[p] = sum;
  }
  return covered;
}
