/**
 * Turns typed metric points (OTLP, Prometheus remote-write) into the samples rootgraph stores, one
 * rule for every source: gauges and up-down sums as they are; monotonic counters as per-second rates
 * (cumulative ones from the change since the previous point, a reset or restart starting over);
 * histograms as `_p50`, `_p90`, `_p99` (interpolated within buckets, as Prometheus'
 * histogram_quantile), `_count` (per second) and `_mean`; summaries as their quantiles `_pNN`,
 * `_count` and `_mean`. Keeps the previous point of each cumulative series, bounded in number.
 */
import type { MetricSample } from '../../metrics/buffer-metric-source.js';
import type { MetricPoint } from '../otel/parse-otlp-metrics.js';

export const DEFAULTS = {
  /** Cumulative series remembered; beyond it the least recently seen are forgotten (their next point starts over). */
  maxSeries: 200_000,
  quantiles: [0.5, 0.9, 0.99],
  /** A first point whose counter started longer ago than this (s) only primes: its average would hide the present. */
  maxFirstIntervalS: 900,
};

interface Previous {
  start: number;
  t: number;
  value: number;
  sum: number;
  counts: number[];
}

/** A stored sample (entity as the metric source keys it, series name, unix seconds, value) and the point it came from. */
export type NormalisedSample = MetricSample & { from: MetricPoint };

const sample = (p: MetricPoint, metric: string, v: number): NormalisedSample => ({
  entity: p.entity.entity.key,
  metric: `${metric}${p.labels}`,
  t: p.t,
  v,
  from: p,
});

/** The value at quantile q of a bucketed distribution (upper bounds; the last bucket is +Inf). */
export function bucketQuantile(q: number, bounds: readonly number[], counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return Number.NaN;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    if (seen + counts[i] >= rank && counts[i] > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1] ?? Number.NaN;
      const lower = i === 0 ? Math.min(0, bounds[0]) : bounds[i - 1];
      return lower + (bounds[i] - lower) * ((rank - seen) / counts[i]);
    }
    seen += counts[i];
  }
  return bounds[bounds.length - 1] ?? Number.NaN;
}

/** Stateful across requests (the previous point of each cumulative series); one per ingest process. */
export class MetricNormaliser {
  private readonly previous = new Map<string, Previous>();

  private readonly maxFirst: number;

  constructor(private readonly opts: Partial<typeof DEFAULTS> = {}) {
    this.maxFirst = opts.maxFirstIntervalS ?? DEFAULTS.maxFirstIntervalS;
  }

  /** The previous point of each cumulative series, least recently seen first (plain data, for a checkpoint). */
  snapshot(): Array<[string, Previous]> {
    return [...this.previous];
  }

  /** Continues from a `snapshot()`: later points of those series are deltas, not first points. */
  restore(state: ReadonlyArray<[string, Previous]>): void {
    this.previous.clear();
    for (const [key, v] of state) this.remember(key, v);
  }

  /** Samples for `points`, in order. A first cumulative point only primes its series. */
  toSamples(points: readonly MetricPoint[]): NormalisedSample[] {
    const out: NormalisedSample[] = [];
    for (const p of points) {
      switch (p.kind) {
        case 'gauge':
          out.push(sample(p, p.name, p.value));
          break;
        case 'sum':
          if (!p.monotonic) out.push(sample(p, p.name, p.value));
          else {
            const d = p.cumulative ? this.delta(p, p.value, 0, []) : { dt: p.t - p.start, value: p.value };
            if (d && d.dt > 0) out.push(sample(p, p.name, d.value / d.dt));
          }
          break;
        case 'histogram':
          this.histogram(p, out);
          break;
        case 'summary':
          for (const q of p.quantiles) out.push(sample(p, `${p.name}_p${Math.round(q.q * 100)}`, q.value));
          this.counted(p, p.count, p.sum, out);
          break;
      }
    }
    return out;
  }

  private histogram(p: Extract<MetricPoint, { kind: 'histogram' }>, out: NormalisedSample[]): void {
    const d = p.cumulative
      ? this.delta(p, p.count, p.sum ?? 0, p.counts)
      : { dt: p.t - p.start, value: p.count, sum: p.sum ?? 0, counts: p.counts };
    if (!d) return;
    if (d.value > 0 && d.counts)
      for (const q of this.opts.quantiles ?? DEFAULTS.quantiles)
        out.push(sample(p, `${p.name}_p${Math.round(q * 100)}`, bucketQuantile(q, p.bounds, d.counts)));
    if (d.dt > 0) out.push(sample(p, `${p.name}_count`, d.value / d.dt));
    if (d.value > 0 && p.sum !== null) out.push(sample(p, `${p.name}_mean`, (d.sum ?? 0) / d.value));
  }

  private counted(
    p: Extract<MetricPoint, { kind: 'summary' }>,
    count: number,
    sum: number,
    out: NormalisedSample[],
  ): void {
    const d = this.delta(p, count, sum, []);
    if (!d) return;
    if (d.dt > 0) out.push(sample(p, `${p.name}_count`, d.value / d.dt));
    if (d.value > 0) out.push(sample(p, `${p.name}_mean`, (d.sum ?? 0) / d.value));
  }

  /** The change since this series' previous point, or null for a first point; a reset starts over from zero. */
  private delta(
    p: MetricPoint,
    value: number,
    sum: number,
    counts: number[],
  ): { dt: number; value: number; sum?: number; counts?: number[] } | null {
    const key = `${p.entity.entity.uid}\u0000${p.name}${p.labels}`;
    const prev = this.previous.get(key);
    this.remember(key, { start: p.start, t: p.t, value, sum, counts });
    if (prev && p.t <= prev.t) return null;
    const restarted = !prev || value < prev.value || (p.start > 0 && p.start !== prev.start);
    if (restarted) {
      // A restart whose start we know is a delta from zero; an unknown history only primes the series.
      const known = p.start > 0 && p.t > p.start && (prev ? p.start >= prev.t : p.t - p.start <= this.maxFirst);
      if (!known) return null;
      return { dt: p.t - p.start, value, sum, counts };
    }
    return {
      dt: p.t - prev.t,
      value: value - prev.value,
      sum: sum - prev.sum,
      counts: counts.map((c, i) => c - (prev.counts[i] ?? 0)),
    };
  }

  private remember(key: string, v: Previous): void {
    this.previous.delete(key);
    this.previous.set(key, v);
    const max = this.opts.maxSeries ?? DEFAULTS.maxSeries;
    if (this.previous.size > max) this.previous.delete(this.previous.keys().next().value as string);
  }
}
