/**
 * How a group of timings shifted between the normal side and the incident window, and the shapes the
 * trace evidence reports (trace-shift.ts, reply-shift.ts). Pure.
 */
import { cappedProportionZ, quantileSelect, rankSumZ } from './robust.js';

/** The knobs the shift statistics read (trace-shift.ts DEFAULTS documents them). */
export interface ShiftOptions {
  minRelScale: number;
  minSpans: number;
  floor: number;
  tailQuantile: number;
  tailEffectiveSpans: number;
  significantZ: number;
}

/**
 * One operation's shift. `kind`: its own self time and errors, or a pseudo-operation standing for its
 * network (wire time on its call edges) or its late replies (the gap its callers wait after it).
 */
export interface OperationShift {
  entity: string;
  operation: string;
  kind: 'own' | 'wire' | 'reply';
  /** Robust z of the window's median self time against the normal median (0 when too few spans). */
  latencyZ: number;
  /** Two-proportion z of the share of spans where an error originates. */
  errorZ: number;
  /** |z| of its most shifted call pattern (call-pattern.ts): the share of its spans calling one child; 0 for pseudo-operations. */
  callsZ: number;
  /** That call: the child operation ("entity/operation") and the share of spans calling it, normal and window. */
  calls?: CallShareShift;
  /** Enough spans on both sides to judge the self time. */
  judged: boolean;
}

/**
 * The share of an operation's spans calling one child ("entity/operation", or the callee entity),
 * normal and window; `confirmed` when the callee's own load fell with it (call-volume.ts).
 */
export interface CallShareShift {
  child: string;
  normal: number;
  window: number;
  confirmed?: boolean;
}

/** One call edge's wire-time shift, or reply-gap shift (see trace-shift.ts). */
export interface WireShift {
  caller: string;
  callee: string;
  latencyZ: number;
  judged: boolean;
}

// Counting sort: value(i) for every i, slot by slot (slot s holds values[start[s] .. start[s+1]]).
export function sortIntoSlots(slot: Int32Array, slots: number, value: (i: number) => number) {
  const start = new Int32Array(slots + 1);
  for (let i = 0; i < slot.length; i++) start[slot[i] + 1]++;
  for (let s = 0; s < slots; s++) start[s + 1] += start[s];
  const fill = start.slice(0, slots);
  const values = new Float64Array(slot.length);
  for (let i = 0; i < slot.length; i++) values[fill[slot[i]]++] = value(i);
  return { start, values };
}

// Group g's normal side, then its window side, out of sortIntoSlots' output (slot 2·g + side).
export function sidesOf({ start, values }: { start: Int32Array; values: Float64Array }) {
  return (group: number): [Float64Array, Float64Array] => [
    values.subarray(start[2 * group], start[2 * group + 1]),
    values.subarray(start[2 * group + 1], start[2 * group + 2]),
  ];
}

// Enough spans on both sides for a latency shift to mean anything.
export function judgeable(normal: Float64Array, window: Float64Array, o: ShiftOptions): boolean {
  return normal.length >= o.minSpans && window.length >= o.minSpans;
}

/** A timing's scale is at least a microsecond (ns): a 10 ms operation is not anomalous at 10.001 ms. */
export const MIN_SCALE_NS = 1_000;

/**
 * The normal side's median and robust scale (1.4826 · MAD, at least `minRelScale` of the median and
 * `minScale`). Reorders `scratch`, a copy the caller may go on selecting from.
 */
export function normalScale(scratch: Float64Array, minRelScale: number, minScale: number) {
  const med = quantileSelect(scratch, 0.5);
  const dev = scratch.map((v) => Math.abs(v - med));
  return { med, scale: Math.max(1.4826 * quantileSelect(dev, 0.5), minRelScale * med, minScale) };
}

/**
 * How far the self time slowed, ≥ 0 (only slowing down is harm): the larger of the robust z of the
 * window's median and the two-proportion z of the share of spans slower than normal's tail
 * (`tailQuantile`, and at least one scale above the median). The median alone misses a fault that
 * slows only some requests (a hang on a share of calls) or only part of the window.
 */
export function latencyShift(
  normal: Float64Array,
  window: Float64Array,
  o: ShiftOptions,
  minScale = MIN_SCALE_NS,
): number {
  if (!judgeable(normal, window, o)) return 0;
  // Selection, not sorts: the groups hold up to every span of a case, and only a few order statistics count.
  const n = normal.slice();
  const { med, scale } = normalScale(n, o.minRelScale, minScale);
  const windowMedian = quantileSelect(window.slice(), 0.5);
  let medianZ = (windowMedian - med) / scale;
  // A few spans' robust scale can be tiny by chance: a large median shift from few spans counts where the
  // ranks agree, or where it is beyond the margin on the normal spans' plain spread too, less their
  // slowest (few spans cannot reach the margin by ranks; one cold start in the baseline must not hide a
  // slowdown). With `tailEffectiveSpans` a side the ranks agree with any such shift, and sorting a
  // million would cost.
  if (medianZ > o.significantZ && Math.min(normal.length, window.length) < o.tailEffectiveSpans) {
    const pastNormal = windowMedian - med > o.significantZ * spreadLessSlowest(normal);
    const ranks = pastNormal ? Infinity : rankSumZ(normal, window);
    if (ranks < o.significantZ) medianZ = ranks;
  }
  if (o.tailQuantile <= 0) return Math.max(0, medianZ);
  const slow = Math.max(quantileSelect(n, o.tailQuantile), med + scale);
  const tailZ = cappedProportionZ(
    [countAbove(n, slow), countAbove(window, slow)],
    [n.length, window.length],
    o.tailEffectiveSpans,
    o.floor,
  );
  return Math.max(0, medianZ, tailZ);
}

// Standard deviation of the values without their largest one (0 for fewer than three).
export function spreadLessSlowest(values: Float64Array): number {
  if (values.length < 3) return 0;
  let top = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[top]) top = i;
  let sum = 0,
    sq = 0;
  for (let i = 0; i < values.length; i++) if (i !== top) sum += values[i];
  const mean = sum / (values.length - 1);
  for (let i = 0; i < values.length; i++) if (i !== top) sq += (values[i] - mean) ** 2;
  return Math.sqrt(sq / (values.length - 2));
}

// Values strictly above `x`.
function countAbove(values: Float64Array, x: number): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > x) count++;
  return count;
}
