/** A metric series as the algorithms read it: aligned timestamps (unix seconds) and values (NaN = no sample). */
export interface MetricSeries {
  /** The entity name as metrics name it (a service or pod name, e.g. `cartservice`). */
  entity: string;
  /** The metric name (e.g. `cpu_usage`, `latency_p99`). */
  metric: string;
  timestamps: Float64Array;
  values: Float64Array;
}

export interface SeriesRef {
  entity: string;
  metric: string;
}

export interface MetricQuery {
  /** Entities to read; every entity when omitted. */
  entities?: string[];
  /** Metric names to read; every metric of the entities when omitted. */
  metrics?: string[];
  /** Inclusive range in unix seconds. */
  from: number;
  to: number;
  /** Resolution in seconds: values are aligned on from, from+step, …, ≤ to. */
  stepS: number;
}

/** Where metrics live: Prometheus in full mode, the ingest buffer in embedded mode (or both). */
export interface MetricSource {
  readonly kind: 'buffer' | 'prometheus' | 'composite';
  query(q: MetricQuery): Promise<MetricSeries[]>;
  /** The series known for an entity (all entities when omitted). */
  listSeries(entity?: string): Promise<SeriesRef[]>;
}
