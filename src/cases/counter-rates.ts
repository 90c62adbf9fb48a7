/**
 * Cumulative counters as per-second rates. A metrics dump taken without `rate()` holds counters as
 * running totals (`cpu_usage_seconds_total`, `requests_total`): every one of them sits above its own
 * past in the incident window, so each looks anomalous and the fastest-growing wins. A column is read
 * as a counter when its name says so (Prometheus/OpenMetrics: `_total`, `_count`, `_sum`) and its
 * values only rise, apart from a few resets (a restart starts the count over). Columns already
 * exported as rates go up and down and are left alone. Pure.
 */
import { splitReplica } from '../model/replica-column.js';
import { medianGap } from '../rca/windows.js';
import { finiteTimes } from './metric-grid.js';
import type { CaseData } from './types.js';

const COUNTER_NAME = /(_total|_count|_sum)$/i;

/** Resets allowed: at most this share of the samples (and at least one). */
const RESET_SHARE = 0.02;
/** A running total of something active rises at most steps; sparse rates (mostly 0, a blip) do not. */
const MIN_RISE_SHARE = 0.5;
const MIN_SAMPLES = 10;

/**
 * Whether `values` (NaN = no sample) rise only, apart from few resets, and rise at most steps of at
 * least `MIN_SAMPLES` samples.
 */
export function isCumulative(values: ArrayLike<number>): boolean {
  let prev = Number.NaN,
    rises = 0,
    resets = 0,
    samples = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    samples++;
    if (Number.isFinite(prev)) {
      if (v > prev) rises++;
      // A reset starts over from near zero; any smaller drop means the column goes down: a gauge or a rate.
      else if (v < prev) {
        if (v > prev / 2) return false;
        resets++;
      }
    }
    prev = v;
  }
  return (
    samples >= MIN_SAMPLES && rises >= MIN_RISE_SHARE * (samples - 1) && resets <= Math.max(1, RESET_SHARE * samples)
  );
}

/** A rate over more than this many typical intervals (a gap in the data) says nothing about either end. */
const MAX_GAP_INTERVALS = 5;

/**
 * Per-second increase between samples (a reset counts from zero); NaN where there is no previous sample
 * or the previous one lies across a gap in the data.
 */
export function counterRates(timestamps: ArrayLike<number>, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  const maxGap = MAX_GAP_INTERVALS * typicalInterval(timestamps, values);
  let prevV = Number.NaN,
    prevT = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const dt = timestamps[i] - prevT;
    if (Number.isFinite(prevV) && dt > 0 && dt <= maxGap) out[i] = (v >= prevV ? v - prevV : v) / dt;
    prevV = v;
    prevT = timestamps[i];
  }
  return out;
}

// Median time between a series' samples (Infinity with fewer than two).
function typicalInterval(timestamps: ArrayLike<number>, values: ArrayLike<number>): number {
  const sampled = finiteTimes(timestamps, values);
  return sampled.length < 2 ? Number.POSITIVE_INFINITY : medianGap(sampled);
}

/** The case with its cumulative counters as rates, and the columns converted. */
export function countersAsRates(c: CaseData): { data: CaseData; converted: string[] } {
  const converted: string[] = [];
  const series = c.series.map((s) => {
    const name = splitReplica(s.metric).metric;
    if (!COUNTER_NAME.test(name) || !isCumulative(s.values)) return s;
    converted.push(s.key);
    return { ...s, values: counterRates(c.timestamps, s.values) };
  });
  return converted.length === 0 ? { data: c, converted } : { data: { ...c, series }, converted };
}
