/**
 * Reply gaps in traces without client spans: how long a caller's server span went on after a callee's
 * span ended before its next visible step (its next call, or its own end). netem-style network delay on
 * a pod holds what the pod sends, so the pod's own span does not lengthen; its callers' gap after each
 * of its spans does. The caller's own work after the call is in the same gap, so reply-shift.ts also
 * judges the gap as a share of the caller's self time. Pure.
 */
import type { SpanIndex } from './span-index.js';

/** Every span's children: parent p's are kids[start[p] .. start[p+1]], in order of start. */
export interface ChildLists {
  start: Int32Array;
  kids: Int32Array;
}

/**
 * Groups the spans under their parents (counting sort), each group by start. A span repeated in an
 * export is listed once (its canonical copy). O(spans log fan-out).
 */
export function childLists(ix: SpanIndex): ChildLists {
  const { size, parent, canonical, startNs } = ix;
  const listed = (i: number) => parent[i] >= 0 && canonical[i] === i;
  const start = new Int32Array(size + 1);
  for (let i = 0; i < size; i++) if (listed(i)) start[parent[i] + 1]++;
  for (let p = 0; p < size; p++) start[p + 1] += start[p];
  const fill = start.slice(0, size);
  const kids = new Int32Array(start[size]);
  for (let i = 0; i < size; i++) if (listed(i)) kids[fill[parent[i]]++] = i;
  for (let p = 0; p < size; p++) {
    const from = start[p],
      to = start[p + 1];
    // Exports mostly list a span's children in order already: check before sorting.
    let ordered = true;
    for (let k = from + 1; k < to && ordered; k++) ordered = startNs[kids[k - 1]] <= startNs[kids[k]];
    if (!ordered) kids.subarray(from, to).sort((a, b) => startNs[a] - startNs[b]);
  }
  return { start, kids };
}

/**
 * Per span: the reply gap after it in its parent (ns), or NaN where there is none to read: a root, a
 * child of its own entity, a child of a span `skipParent` excludes, or a call that overlapped another
 * child of the same parent (with calls in parallel, the wait after one is not its own: the caller may
 * still be waiting for another).
 */
export function replyGaps(ix: SpanIndex, lists: ChildLists, skipParent: (p: number) => boolean): Float64Array {
  const { size, entity, startNs, durationNs } = ix;
  const { start, kids } = lists;
  const gap = new Float64Array(size).fill(Number.NaN);
  for (let p = 0; p < size; p++) {
    const from = start[p],
      n = start[p + 1] - from;
    if (n === 0 || skipParent(p)) continue;
    const parentEnd = startNs[p] + durationNs[p];
    let latestEnd = -Infinity; // the latest end among the children before position k
    for (let k = 0; k < n; k++) {
      const c = kids[from + k];
      const cStart = startNs[c],
        cEnd = cStart + durationNs[c];
      const ranAlone = latestEnd <= cStart;
      latestEnd = Math.max(latestEnd, cEnd);
      if (!ranAlone || entity[c] === entity[p]) continue;
      // The next child in start order must not start before this one ended.
      const next = k + 1 < n ? startNs[kids[from + k + 1]] : Infinity;
      if (next < cEnd) continue;
      gap[c] = Math.max(0, Math.min(parentEnd, next) - cEnd);
    }
  }
  return gap;
}
