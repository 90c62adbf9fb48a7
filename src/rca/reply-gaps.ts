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

/** Groups the spans under their parents (counting sort), each group by start. O(spans log fan-out). */
export function childLists(ix: SpanIndex): ChildLists {
  const { size, parent, startNs } = ix;
  const start = new Int32Array(size + 1);
  for (let i = 0; i < size; i++) if (parent[i] >= 0) start[parent[i] + 1]++;
  for (let p = 0; p < size; p++) start[p + 1] += start[p];
  const fill = start.slice(0, size);
  const kids = new Int32Array(start[size]);
  for (let i = 0; i < size; i++) if (parent[i] >= 0) kids[fill[parent[i]]++] = i;
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
 * child of its own entity, a child of a span `skipParent` excludes, or a child whose end another
 * sibling still covers (the parent was waiting for that one anyway).
 */
export function replyGaps(ix: SpanIndex, lists: ChildLists, skipParent: (p: number) => boolean): Float64Array {
  const { size, entity, startNs, durationNs } = ix;
  const { start, kids } = lists;
  const gap = new Float64Array(size).fill(Number.NaN);
  let latestEnd = new Float64Array(16); // per position in a group: the latest end among siblings up to it
  for (let p = 0; p < size; p++) {
    const from = start[p],
      n = start[p + 1] - from;
    if (n === 0 || skipParent(p)) continue;
    const parentEnd = startNs[p] + durationNs[p];
    if (n === 1) {
      const c = kids[from];
      if (entity[c] !== entity[p]) gap[c] = Math.max(0, parentEnd - end(c));
      continue;
    }
    if (latestEnd.length < n) latestEnd = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) latestEnd[k] = Math.max(k > 0 ? latestEnd[k - 1] : -Infinity, end(kids[from + k]));
    for (let k = 0; k < n; k++) {
      const c = kids[from + k];
      if (entity[c] === entity[p]) continue;
      const cEnd = end(c);
      const next = firstStartingAtOrAfter(from, n, cEnd); // position in the group
      // Siblings before `next` started before c ended; one of them (not c) ending later covers c's end.
      if (next > 0 && latestEnd[next - 1] > cEnd) continue;
      gap[c] = Math.max(0, Math.min(parentEnd, next < n ? startNs[kids[from + next]] : Infinity) - cEnd);
    }
  }
  return gap;

  function end(i: number): number {
    return startNs[i] + durationNs[i];
  }

  // The first position in the group whose span starts at or after `t` (n when none does).
  function firstStartingAtOrAfter(from: number, n: number, t: number): number {
    let lo = 0,
      hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (startNs[kids[from + mid]] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
