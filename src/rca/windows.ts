/**
 * Splits a case's rows into the incident window and normal operation around it; when normal operation
 * reaches another day, the baseline is the same time of day (seasonality). Pure.
 */

/** Knobs for the split; seconds. */
export const DEFAULTS = {
  /** Rows up to this long after the start belong to the incident window. */
  windowAfter: 3600,
  /**
   * Rows closer than this before the start are neither normal nor incident (the fault may be brewing).
   * Shrunk to a quarter of the history there is (never below one step), so a short history keeps a baseline.
   */
  guardBefore: 600,
  /** Rows later than start + windowAfter + this count as normal again (recovery). */
  guardAfter: 3600,
  /**
   * Seasonality: when normal operation includes another day, only normal rows within this many seconds
   * of the incident window's time of day form the baseline (a Monday-morning peak is judged against
   * mornings, not against the night). 0 = off.
   */
  seasonalSlack: 7_200,
  /** The seasonal baseline is used only when it keeps at least this many rows. */
  seasonalMinRows: 12,
};

const DAY_S = 86_400;

/** Row indexes of the incident window and of normal operation (both ascending). */
export interface WindowSplit {
  anomalous: Int32Array;
  normal: Int32Array;
  /** Typical sampling step in seconds (median gap), 0 with fewer than two rows. */
  step: number;
  /** Whether normal was narrowed to the incident's time of day on other days (seasonality). */
  seasonal: boolean;
}

/**
 * Incident window = rows whose sampling bucket covers or follows `start` (t > start − step) up to
 * start + windowAfter; normal = rows before start − guard or after the window + guardAfter (guard: see DEFAULTS.guardBefore).
 */
export function splitWindow(timestamps: Float64Array, start: number, opts: Partial<typeof DEFAULTS> = {}): WindowSplit {
  const o = { ...DEFAULTS, ...opts };
  const step = medianGap(timestamps);
  const anomalous: number[] = [];
  const normal: number[] = [];
  const history = timestamps.length > 0 ? start - timestamps[0] : 0;
  const guard = Math.max(step, Math.min(o.guardBefore, history / 4));
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    if (t > start - step && t <= start + o.windowAfter) anomalous.push(i);
    else if (t <= start - guard || t > start + o.windowAfter + o.guardAfter) normal.push(i);
  }
  const seasonal = o.seasonalSlack > 0 ? sameTimeOfDay(timestamps, normal, start, o) : null;
  return {
    anomalous: Int32Array.from(anomalous),
    normal: Int32Array.from(seasonal ?? normal),
    step,
    seasonal: seasonal !== null,
  };
}

// Normal rows at the incident window's time of day (± slack), when normal operation reaches another
// day; null when it does not, or too few rows remain.
function sameTimeOfDay(ts: Float64Array, normal: number[], start: number, o: typeof DEFAULTS): number[] | null {
  if (!normal.some((i) => Math.abs(ts[i] - start) >= DAY_S - o.seasonalSlack)) return null;
  const from = -o.seasonalSlack,
    to = o.windowAfter + o.seasonalSlack;
  const kept = normal.filter((i) => {
    // Time of day relative to the start, in [−day/2, day/2).
    const d = ((((ts[i] - start) % DAY_S) + DAY_S + DAY_S / 2) % DAY_S) - DAY_S / 2;
    return d >= from && d <= to;
  });
  return kept.length >= o.seasonalMinRows ? kept : null;
}

/** Median gap between consecutive times (sorted), 0 with fewer than two. */
export function medianGap(ts: ArrayLike<number>): number {
  if (ts.length < 2) return 0;
  const gaps = new Float64Array(ts.length - 1);
  for (let i = 1; i < ts.length; i++) gaps[i - 1] = ts[i] - ts[i - 1];
  gaps.sort();
  return gaps[gaps.length >> 1];
}
