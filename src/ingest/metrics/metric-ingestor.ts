/**
 * The metrics half of ingest, for every wire format (OTLP metrics, Prometheus remote-write, the JSON
 * push): typed points → samples (MetricNormaliser) into the metric buffer, and the entities and
 * their series into the graph through the process's one writer. A series' graph node is rewritten
 * at most once per `refreshMs` (its lastSeen), not on every request.
 */
import type { UpsertReport } from '../../model/graph.js';
import type { BufferMetricSource, MetricSample, PushReport } from '../../metrics/buffer-metric-source.js';
import { asJournaled, Intake, type Accept } from '../durable/intake.js';
import type { SerialWriter } from '../serial-writer.js';
import type { MetricPoint } from '../otel/parse-otlp-metrics.js';
import { MetricNormaliser, type NormalisedSample } from './metric-normaliser.js';
import { entitySeriesUid, toEntitySeriesBatch, type EntitySeries } from './to-metric-series-batch.js';

export const DEFAULTS = {
  /** How often a series seen again refreshes its graph node (ms). */
  refreshMs: 60_000,
  /** Series whose last write is remembered. */
  maxRemembered: 500_000,
};

/** What one ingest call did. */
export interface MetricIngestReport {
  points: number;
  samples: PushReport;
  /** The graph write of new or refreshed series (null when none was due). */
  upsert: UpsertReport | null;
}

export class MetricIngestor {
  private readonly normaliser = new MetricNormaliser();
  private readonly written = new Map<string, number>();
  private readonly acceptPoints: Accept<
    readonly MetricPoint[],
    readonly MetricPoint[],
    { samples: NormalisedSample[]; pushed: PushReport }
  >;
  private readonly acceptSamples: Accept<readonly MetricSample[], readonly MetricSample[], PushReport>;

  /** `intake`: where accepted points are journaled before they are applied (volatile when omitted). */
  constructor(
    private readonly buffer: BufferMetricSource,
    private readonly writer: SerialWriter,
    private readonly opts: Partial<typeof DEFAULTS> & { source?: string; now?: () => number; intake?: Intake } = {},
  ) {
    const intake = opts.intake ?? Intake.volatile();
    // The buffer keeps its own samples durably; the normaliser's previous points go into checkpoints.
    this.acceptPoints = intake.channel('metric-points', {
      decode: asJournaled<readonly MetricPoint[]>,
      apply: (points) => {
        const samples = this.normaliser.toSamples(points);
        return { samples, pushed: this.buffer.push(samples) };
      },
      snapshot: () => this.normaliser.snapshot(),
      restore: (state) => this.normaliser.restore(state),
    });
    this.acceptSamples = intake.channel('metric-samples', {
      decode: asJournaled<readonly MetricSample[]>,
      apply: (samples) => this.buffer.push(samples),
      snapshot: () => null,
      restore: () => undefined,
    });
  }

  /** Stores typed points (OTLP, remote-write). */
  async ingest(points: readonly MetricPoint[]): Promise<MetricIngestReport> {
    const { samples, pushed } = await this.acceptPoints(points);
    const series = new Map<string, EntitySeries>();
    samples.forEach((s) => {
      const p = s.from;
      const id = entitySeriesUid(p.entity.entity.uid, s.metric);
      const prior = series.get(id);
      series.set(id, {
        placed: p.entity,
        metric: s.metric,
        exemplarTraceId: p.exemplarTraceId ?? prior?.exemplarTraceId,
      });
    });
    return { points: points.length, ...(await this.describe(samples, pushed, [...series.values()])) };
  }

  /** Stores samples whose entities are already placed (the JSON push). */
  async ingestSamples(samples: readonly MetricSample[], series: readonly EntitySeries[]): Promise<MetricIngestReport> {
    const pushed = await this.acceptSamples(samples);
    return { points: samples.length, ...(await this.describe(samples, pushed, series)) };
  }

  /** Writes the graph nodes of series that are new or due for a refresh. */
  private async describe(
    samples: readonly MetricSample[],
    pushed: PushReport,
    series: readonly EntitySeries[],
  ): Promise<Omit<MetricIngestReport, 'points'>> {
    const now = (this.opts.now ?? Date.now)();
    const due = series.filter(
      (s) =>
        now - (this.written.get(entitySeriesUid(s.placed.entity.uid, s.metric)) ?? -Infinity) >=
        (this.opts.refreshMs ?? DEFAULTS.refreshMs),
    );
    if (due.length === 0) return { samples: pushed, upsert: null };
    const lastMs = samples.reduce((a, s) => Math.max(a, s.t * 1000), 0);
    const upsert = await this.writer.write(
      toEntitySeriesBatch(due, { source: this.opts.source ?? 'buffer', ...(lastMs > 0 ? { observedAt: lastMs } : {}) }),
    );
    for (const s of due) this.remember(entitySeriesUid(s.placed.entity.uid, s.metric), now);
    // A refused write is retried on the next request rather than remembered as done.
    if (upsert.rejected.length > 0) this.written.clear();
    return { samples: pushed, upsert };
  }

  private remember(key: string, at: number): void {
    this.written.delete(key);
    this.written.set(key, at);
    if (this.written.size > (this.opts.maxRemembered ?? DEFAULTS.maxRemembered))
      this.written.delete(this.written.keys().next().value as string);
  }
}
