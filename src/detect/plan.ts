/**
 * Which rows of a case are normal history and in which order a stream would have seen them.
 * Offline cases may hold normal operation before or after the incident (PetShop: a normal day
 * months later); detection replays history first, then the segment holding the incident.
 */

/** The replay plan: row indices in stream order, which of them are history, and the segments. */
export interface ReplayPlan {
  order: number[];
  /** Number of leading entries of `order` that are normal history (train/calibrate on these). */
  history: number;
  /** Contiguous runs of rows (inclusive), split where the time step jumps. */
  segments: Array<{ start: number; end: number }>;
  /** Positions in `order` where the replay jumps to another segment (stream state such as an open incident resets there). */
  breaks: number[];
}

/**
 * Plans the replay of sorted `timestamps`. Segments split at gaps over 3× the median step. Without
 * an incident start the first half is history. With one: segments not containing it are history;
 * within its own segment, rows before it also count as history when no other segment exists. Pure.
 */
export function planReplay(timestamps: Float64Array, incidentStart?: number): ReplayPlan {
  const n = timestamps.length;
  const steps: number[] = [];
  for (let i = 1; i < n; i++) steps.push(timestamps[i] - timestamps[i - 1]);
  const median = steps.length ? [...steps].sort((a, b) => a - b)[steps.length >> 1] : 1;
  const segments: ReplayPlan['segments'] = [];
  let s0 = 0;
  for (let i = 1; i <= n; i++) {
    if (i === n || timestamps[i] - timestamps[i - 1] > 3 * median) {
      segments.push({ start: s0, end: i - 1 });
      s0 = i;
    }
  }
  const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a + 1) }, (_, k) => a + k);
  const breaksOf = (order: number[]) =>
    order.flatMap((r, j) =>
      j > 0 && !(timestamps[r] - timestamps[order[j - 1]] > 0 && timestamps[r] - timestamps[order[j - 1]] <= 3 * median)
        ? [j]
        : [],
    );
  if (incidentStart === undefined || n === 0) {
    const order = range(0, n - 1);
    return { order, history: n >> 1, segments, breaks: breaksOf(order) };
  }
  // The segment in which the incident starts (or the last one that begins before it).
  let hit = 0;
  segments.forEach((g, k) => {
    if (timestamps[g.start] <= incidentStart) hit = k;
  });
  const others = segments.filter((_, k) => k !== hit).flatMap((g) => range(g.start, g.end));
  const own = range(segments[hit].start, segments[hit].end);
  const before = own.filter((r) => timestamps[r] < incidentStart).length;
  const history = others.length > 0 ? others.length : before;
  const order = [...others, ...own];
  return { order, history, segments, breaks: breaksOf(order) };
}

/** Median step of sorted timestamps in seconds, over positive steps (60 when there are none). Pure. */
export function medianStepS(timestamps: ArrayLike<number>): number {
  const d: number[] = [];
  for (let i = 1; i < timestamps.length; i++)
    if (timestamps[i] > timestamps[i - 1]) d.push(timestamps[i] - timestamps[i - 1]);
  return d.length ? d.sort((a, b) => a - b)[d.length >> 1] : 60;
}
