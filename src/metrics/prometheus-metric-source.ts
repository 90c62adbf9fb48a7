import { InputError, RootgraphError } from '../errors.js';
import { isLoadMetric } from '../model/metric-semantics.js';
import type { MetricQuery, MetricSeries, MetricSource, SeriesRef } from '../ports/metric-source.js';

/**
 * How a Prometheus series maps to rootgraph's (entity, metric): the metric is `__name__`; the
 * entity is the value of the first of `entityLabels` the series carries (default `service`, then
 * `pod`, then `job`). Several series of one (entity, metric) — instances, pods — are averaged, but
 * request counts and rates are summed: a service's load is its pods' together, and a scale-out must
 * not read as half the traffic (RCA's calls per request compares them: rca/call-volume.ts).
 */
export const DEFAULTS = {
  entityLabels: ['service', 'pod', 'job'] as readonly string[],
  /** Requests in flight at once against Prometheus. */
  concurrency: 4,
  timeoutMs: 10_000,
};

export interface PrometheusMetricSourceOptions {
  /** e.g. `http://127.0.0.1:9090` (PROMETHEUS_URL). */
  baseUrl: string;
  entityLabels?: readonly string[];
  concurrency?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface PromResponse<T> {
  status: 'success' | 'error';
  data?: T;
  error?: string;
  errorType?: string;
}

/** PromQL string literal: backslash and double quote escaped. */
const lit = (s: string) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/** Reads metrics through the Prometheus HTTP API (`/api/v1/series`, `/api/v1/query_range`). */
export class PrometheusMetricSource implements MetricSource {
  readonly kind = 'prometheus' as const;
  private readonly base: string;
  private readonly labels: readonly string[];
  private readonly http: typeof fetch;

  constructor(private readonly opts: PrometheusMetricSourceOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.labels = opts.entityLabels ?? DEFAULTS.entityLabels;
    this.http = opts.fetch ?? fetch;
  }

  /** From configuration; undefined when PROMETHEUS_URL is not set. */
  static fromConfig(config: { prometheusUrl?: string }): PrometheusMetricSource | undefined {
    return config.prometheusUrl ? new PrometheusMetricSource({ baseUrl: config.prometheusUrl }) : undefined;
  }

  async listSeries(entity?: string): Promise<SeriesRef[]> {
    return [...(await this.refs(entity)).values()]
      .map(({ entity: e, metric }) => ({ entity: e, metric }))
      .sort((a, b) => `${a.entity}|${a.metric}`.localeCompare(`${b.entity}|${b.metric}`));
  }

  async query(q: MetricQuery): Promise<MetricSeries[]> {
    if (!(q.stepS > 0) || q.to < q.from)
      throw new InputError('query', `need stepS > 0 and to ≥ from, got step ${q.stepS}, ${q.from}..${q.to}`);
    const wanted = [...(await this.refs()).values()].filter(
      (r) => (!q.entities || q.entities.includes(r.entity)) && (!q.metrics || q.metrics.includes(r.metric)),
    );
    const out: MetricSeries[] = new Array(wanted.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < wanted.length; i = next++) out[i] = await this.range(wanted[i], q);
    };
    await Promise.all(
      Array.from({ length: Math.min(this.opts.concurrency ?? DEFAULTS.concurrency, wanted.length) }, worker),
    );
    return out.sort((a, b) => `${a.entity}|${a.metric}`.localeCompare(`${b.entity}|${b.metric}`));
  }

  /** (entity, metric) → the label that names the entity, from the series API. */
  private async refs(entity?: string): Promise<Map<string, SeriesRef & { label: string }>> {
    const params = new URLSearchParams();
    for (const l of this.labels)
      params.append('match[]', entity === undefined ? `{${l}!=""}` : `{${l}=${lit(entity)}}`);
    const series = await this.get<Array<Record<string, string>>>('/api/v1/series', params);
    const out = new Map<string, SeriesRef & { label: string }>();
    for (const s of series) {
      const label = this.labels.find((l) => s[l]);
      if (!label || !s.__name__) continue;
      if (entity !== undefined && s[label] !== entity) continue; // matched through a less specific label
      out.set(`${s[label]}|${s.__name__}`, { entity: s[label], metric: s.__name__, label });
    }
    return out;
  }

  private async range(ref: SeriesRef & { label: string }, q: MetricQuery): Promise<MetricSeries> {
    const merge = isLoadMetric(ref.metric) ? 'sum' : 'avg';
    const expr = `${merge}({__name__=${lit(ref.metric)}, ${ref.label}=${lit(ref.entity)}})`;
    const params = new URLSearchParams({
      query: expr,
      start: String(q.from),
      end: String(q.to),
      step: String(q.stepS),
    });
    const data = await this.get<{ resultType: string; result: Array<{ values: Array<[number, string]> }> }>(
      '/api/v1/query_range',
      params,
    );
    const n = Math.floor((q.to - q.from) / q.stepS) + 1;
    const timestamps = Float64Array.from({ length: n }, (_, k) => q.from + k * q.stepS);
    const values = new Float64Array(n).fill(Number.NaN);
    for (const [t, v] of data.result[0]?.values ?? []) {
      const k = Math.round((t - q.from) / q.stepS);
      if (k >= 0 && k < n) values[k] = Number(v);
    }
    return { entity: ref.entity, metric: ref.metric, timestamps, values };
  }

  private async get<T>(path: string, params: URLSearchParams): Promise<T> {
    let res: Response;
    try {
      res = await this.http(`${this.base}${path}`, {
        method: 'POST',
        body: params,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? DEFAULTS.timeoutMs),
      });
    } catch (err) {
      throw new RootgraphError('UNAVAILABLE', `Prometheus at ${this.base} did not answer: ${(err as Error).message}`, {
        hint: 'Check PROMETHEUS_URL and that Prometheus is running.',
        cause: err,
      });
    }
    const body = (await res
      .json()
      .catch(() => ({ status: 'error', error: `HTTP ${res.status}, body is not JSON` }))) as PromResponse<T>;
    if (res.ok && body.status === 'success' && body.data !== undefined) return body.data;
    const what = `Prometheus ${path} failed: ${body.errorType ?? `HTTP ${res.status}`}: ${body.error ?? 'no error message'}`;
    if (res.status >= 500 || res.status === 429)
      throw new RootgraphError('UNAVAILABLE', what, { hint: 'Retry later.' });
    throw new RootgraphError('INTERNAL', what);
  }
}
