/**
 * How much of each span its children cover: the time (ns) during which at least one child ran, inside
 * the span's own interval. Calls made in parallel count once, and a child running on after its parent
 * ended (an async consumer, a call given up on) counts only up to the parent's end, so a span's self
 * time (its duration less this) is its own work and waiting, as in Jaeger's critical-path view. Pure.
 */
import type { ChildLists } from './reply-gaps.js';
import type { SpanIndex } from './span-index.js';

/** Up to this many children a parent's intervals are put in order by insertion, beyond it by a sort. */
const INSERTION_SORT_MAX = 32;

/**
 * Per span at its canonical index: the union of its children's intervals inside its own, in ns. A child
 * on a host whose clock runs ahead or behind sticks out of its parent; one no longer than the parent is
 * moved back inside (as Jaeger's clock-skew adjuster does), so its whole duration counts. A child that
 * starts after its parent ended was not waited for and counts nothing. O(spans) for small fan-outs.
 */
export function childCoverage(ix: SpanIndex, lists: ChildLists): Float64Array {
  const { size, startNs, durationNs } = ix;
  const { start, kids } = lists;
  const covered = new Float64Array(size);
  let from = new Float64Array(16),
    to = new Float64Array(16);
  for (let p = 0; p < size; p++) {
    const first = start[p],
      n = start[p + 1] - first;
    if (n === 0) continue;
    if (n > from.length) {
      from = new Float64Array(2 * n);
      to = new Float64Array(2 * n);
    }
    const pStart = startNs[p],
      pDur = durationNs[p],
      pEnd = pStart + pDur;
    let m = 0,
      ordered = true;
    for (let k = 0; k < n; k++) {
      const c = kids[first + k];
      const cStart = startNs[c],
        cDur = durationNs[c];
      if (cStart >= pEnd || cDur <= 0) continue;
      const s = cDur < pDur ? Math.min(Math.max(cStart, pStart), pEnd - cDur) : Math.max(cStart, pStart);
      const e = Math.min(s + cDur, pEnd);
      if (e <= s) continue;
      if (m > 0 && s < from[m - 1]) ordered = false;
      from[m] = s;
      to[m++] = e;
    }
    if (!ordered) sortIntervals(from, to, m);
    covered[p] = unionLength(from, to, m);
  }
  return covered;
}

/** Total length of the union of intervals [from[k], to[k]), k < m, given in order of start. */
function unionLength(from: Float64Array, to: Float64Array, m: number): number {
  let sum = 0,
    runStart = 0,
    runEnd = -Infinity;
  for (let k = 0; k < m; k++) {
    if (from[k] > runEnd) {
      if (runEnd > runStart) sum += runEnd - runStart;
      runStart = from[k];
      runEnd = to[k];
    } else if (to[k] > runEnd) runEnd = to[k];
  }
  return runEnd > runStart ? sum + runEnd - runStart : sum;
}

/** Orders the first m intervals by start. */
function sortIntervals(from: Float64Array, to: Float64Array, m: number): void {
  if (m > INSERTION_SORT_MAX) {
    const order = Array.from({ length: m }, (_, k) => k).sort((a, b) => from[a] - from[b]);
    const f = order.map((k) => from[k]),
      t = order.map((k) => to[k]);
    from.set(f);
    to.set(t);
    return;
  }
  for (let k = 1; k < m; k++) {
    const f = from[k],
      t = to[k];
    let j = k - 1;
    for (; j >= 0 && from[j] > f; j--) {
      from[j + 1] = from[j];
      to[j + 1] = to[j];
    }
    from[j + 1] = f;
    to[j + 1] = t;
  }
}
