import type { MetricQuery, MetricSeries, MetricSource, SeriesRef } from '../ports/metric-source.js';

/**
 * Full mode reads Prometheus and the ingest buffer together: series are the union; when both hold
 * the same (entity, metric), the first source's samples win and gaps are filled from the next.
 */
export class CompositeMetricSource implements MetricSource {
  readonly kind = 'composite' as const;

  constructor(private readonly sources: readonly MetricSource[]) {}

  async listSeries(entity?: string): Promise<SeriesRef[]> {
    const seen = new Map<string, SeriesRef>();
    for (const s of this.sources) for (const r of await s.listSeries(entity)) seen.set(`${r.entity}|${r.metric}`, r);
    return [...seen.values()].sort((a, b) => `${a.entity}|${a.metric}`.localeCompare(`${b.entity}|${b.metric}`));
  }

  async query(q: MetricQuery): Promise<MetricSeries[]> {
    const merged = new Map<string, MetricSeries>();
    for (const s of this.sources) {
      for (const m of await s.query(q)) {
        const k = `${m.entity}|${m.metric}`;
        const have = merged.get(k);
        if (!have) merged.set(k, { ...m, values: Float64Array.from(m.values) });
        else
          for (let i = 0; i < have.values.length; i++)
            if (Number.isNaN(have.values[i])) have.values[i] = m.values[i] ?? Number.NaN;
      }
    }
    return [...merged.values()].sort((a, b) => `${a.entity}|${a.metric}`.localeCompare(`${b.entity}|${b.metric}`));
  }
}
