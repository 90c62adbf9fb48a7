import type { CaseData } from '../cases/types.js';
import type { MetricQuery, MetricSeries, MetricSource, SeriesRef } from '../ports/metric-source.js';
import type { SampleStore } from './sample-store.js';
import { SeriesRing } from './series-ring.js';

/** Knobs of the buffer. */
export const DEFAULTS = {
  /** Samples kept per series (a week at 1-minute resolution). */
  capacity: 10_080,
  /** Series kept in all (a cardinality cap: samples of further new series are refused, counted as `refused`). */
  maxSeries: 100_000,
};

/** One pushed sample. */
export interface MetricSample {
  entity: string;
  metric: string;
  /** Unix seconds. */
  t: number;
  v: number;
}

/** What a push did. */
export interface PushReport {
  added: number;
  replaced: number;
  late: number;
  /** Samples of new series refused because the buffer holds `maxSeries` series already. */
  refused: number;
}

const key = (entity: string, metric: string) => `${entity}|${metric}`;

/**
 * The embedded metric store: a ring buffer per series, fed by case `metrics.csv` files and the
 * `POST /v1/metrics` endpoint. Real product code for the embedded mode; bounded memory
 * (capacity × series × 16 bytes). Pushing the same samples twice leaves it unchanged.
 */
export class BufferMetricSource implements MetricSource {
  readonly kind = 'buffer' as const;
  private readonly series = new Map<string, { ref: SeriesRef; ring: SeriesRing }>();

  /** Where samples are kept across restarts (none: memory only). */
  private store?: SampleStore;

  constructor(private readonly opts: Partial<typeof DEFAULTS> = {}) {}

  /** A buffer that keeps its samples in `store` and starts with what the store holds. */
  static open(store: SampleStore, opts: Partial<typeof DEFAULTS> = {}): BufferMetricSource {
    const buffer = new BufferMetricSource(opts);
    buffer.push(store.all());
    buffer.store = store;
    return buffer;
  }

  /** Adds samples (NaN values are skipped: "no sample"). */
  push(samples: Iterable<MetricSample>): PushReport {
    const store = this.store;
    const report: PushReport = { added: 0, replaced: 0, late: 0, refused: 0 };
    for (const s of samples) {
      if (Number.isNaN(s.v)) continue;
      const k = key(s.entity, s.metric);
      let entry = this.series.get(k);
      if (!entry) {
        if (this.series.size >= (this.opts.maxSeries ?? DEFAULTS.maxSeries)) {
          report.refused++;
          continue;
        }
        entry = {
          ref: { entity: s.entity, metric: s.metric },
          ring: new SeriesRing(this.opts.capacity ?? DEFAULTS.capacity),
        };
        this.series.set(k, entry);
      }
      const dropping = entry.ring.size === entry.ring.capacity ? entry.ring.oldest() : undefined;
      const outcome = entry.ring.push(s.t, s.v);
      report[outcome]++;
      if (store && outcome !== 'late') {
        store.put(s.entity, s.metric, s.t, s.v);
        if (dropping !== undefined && outcome === 'added') store.remove(s.entity, s.metric, dropping);
      }
    }
    return report;
  }

  /** Loads a case's metrics.csv series. */
  loadCase(c: Pick<CaseData, 'timestamps' | 'series'>): PushReport {
    const samples: MetricSample[] = [];
    for (const s of c.series)
      c.timestamps.forEach((t, i) => samples.push({ entity: s.entity, metric: s.metric, t, v: s.values[i] }));
    return this.push(samples);
  }

  async listSeries(entity?: string): Promise<SeriesRef[]> {
    return [...this.series.values()]
      .map((e) => e.ref)
      .filter((r) => entity === undefined || r.entity === entity)
      .sort((a, b) => key(a.entity, a.metric).localeCompare(key(b.entity, b.metric)));
  }

  async query(q: MetricQuery): Promise<MetricSeries[]> {
    const out: MetricSeries[] = [];
    // Filter before sorting: a query names a few entities out of many series.
    const entities = q.entities ? new Set(q.entities) : undefined;
    const metrics = q.metrics ? new Set(q.metrics) : undefined;
    const refs = [...this.series.values()]
      .map((e) => e.ref)
      .filter((r) => (!entities || entities.has(r.entity)) && (!metrics || metrics.has(r.metric)))
      .sort((a, b) => key(a.entity, a.metric).localeCompare(key(b.entity, b.metric)));
    for (const ref of refs) {
      const { ring } = this.series.get(key(ref.entity, ref.metric)) as { ring: SeriesRing };
      out.push({ ...ref, ...ring.align(q.from, q.to, q.stepS) });
    }
    return out;
  }
}
