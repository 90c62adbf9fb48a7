/**
 * Metric rows on one time grid. The analysis reads metrics.csv row by row (a window of rows, a
 * baseline of rows), but exports do not always write one row per scrape: two rows of one timestamp
 * (a file appended twice), or every series at its own scrape offset, so that each row holds a few cells
 * and the rows are seconds apart. Rows of one timestamp are merged (the last value given wins); series
 * sampled at their own times are put on a grid at their typical interval, each grid point taking the
 * series' latest sample within one interval before it (Prometheus' lookback). Pure.
 */
import { upperMedian } from '../rca/robust.js';
import { medianGap } from '../rca/windows.js';
import type { CaseData, CaseSeries } from './types.js';

/** Series sampled this many times further apart than the rows are staggered. */
const STAGGER = 1.5;

/** What aligning changed: rows merged for a repeated timestamp, and the grid step when one was made. */
export interface GridFix {
  mergedRows: number;
  gridStepS: number | null;
}

export function alignMetricRows(c: CaseData): { data: CaseData; fix: GridFix | null } {
  const merged = mergeRepeatedTimestamps(c.timestamps, c.series);
  const rowGap = medianGap(merged.timestamps);
  // A series sampled at every row (most, in most exports) has the rows' gap: no need to work it out.
  const seriesGap = upperMedian(
    merged.series.flatMap((s) => {
      if (merged.timestamps.length >= 3 && everyRowSampled(s.values)) return [rowGap];
      const t = finiteTimes(merged.timestamps, s.values);
      return t.length >= 3 ? [medianGap(t)] : [];
    }),
  );
  const staggered = rowGap > 0 && seriesGap > STAGGER * rowGap;
  const mergedRows = c.timestamps.length - merged.timestamps.length;
  if (!staggered && mergedRows === 0) return { data: c, fix: null };
  const out = staggered ? onGrid(merged.timestamps, merged.series, seriesGap) : merged;
  return {
    data: { ...c, timestamps: out.timestamps, series: out.series },
    fix: { mergedRows, gridStepS: staggered ? seriesGap : null },
  };
}

// Rows sharing a timestamp (rows are sorted) become one; per series the last finite value wins.
function mergeRepeatedTimestamps(
  ts: Float64Array,
  series: readonly CaseSeries[],
): { timestamps: Float64Array; series: CaseSeries[] } {
  const firstOf: number[] = [];
  for (let i = 0; i < ts.length; i++) if (i === 0 || ts[i] !== ts[i - 1]) firstOf.push(i);
  if (firstOf.length === ts.length) return { timestamps: ts, series: [...series] };
  const timestamps = Float64Array.from(firstOf, (i) => ts[i]);
  return {
    timestamps,
    series: series.map((s) => {
      const values = new Float64Array(firstOf.length).fill(Number.NaN);
      let row = -1;
      for (let i = 0; i < ts.length; i++) {
        if (i === 0 || ts[i] !== ts[i - 1]) row++;
        if (Number.isFinite(s.values[i])) values[row] = s.values[i];
      }
      return { ...s, values };
    }),
  };
}

// Grid points every `step` seconds covering the rows; each takes the series' latest sample in (g − step, g].
function onGrid(
  ts: Float64Array,
  series: readonly CaseSeries[],
  step: number,
): { timestamps: Float64Array; series: CaseSeries[] } {
  // Grid points sit at the end of the samples' spread within a step, so every series' sample of one
  // scrape round lands on the same point (points on multiples of the step would put a series scraped
  // at :00 one point before the others).
  const phase = phaseAfterSpread(ts, step);
  const first = Math.ceil((ts[0] - phase) / step) * step + phase;
  const n = Math.floor((ts[ts.length - 1] - first) / step) + 1;
  const timestamps = Float64Array.from({ length: Math.max(0, n) }, (_, k) => first + k * step);
  return {
    timestamps,
    series: series.map((s) => {
      const values = new Float64Array(timestamps.length).fill(Number.NaN);
      let i = 0;
      for (let k = 0; k < timestamps.length; k++) {
        const g = timestamps[k];
        while (i < ts.length && ts[i] <= g) {
          if (Number.isFinite(s.values[i]) && ts[i] > g - step) values[k] = s.values[i];
          i++;
        }
      }
      return { ...s, values };
    }),
  };
}

// Sample times modulo the step cluster (each series at its own offset); the phase where the cluster
// ends: the start of the widest empty arc on the circle of phases.
function phaseAfterSpread(ts: Float64Array, step: number): number {
  const phases = Float64Array.from(ts, (t) => ((t % step) + step) % step).sort();
  let end = phases[phases.length - 1],
    widest = phases[0] + step - end;
  for (let i = 1; i < phases.length; i++) {
    const gap = phases[i] - phases[i - 1];
    if (gap > widest) {
      widest = gap;
      end = phases[i - 1];
    }
  }
  return end;
}

function everyRowSampled(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** The times at which `values` has a sample. */
export function finiteTimes(ts: ArrayLike<number>, values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < ts.length; i++) if (Number.isFinite(values[i])) out.push(ts[i]);
  return Float64Array.from(out);
}
