import { readingNotes } from '../../cases/reading-notes.js';
import { readCase } from '../../cases/read-case.js';
import type { GraphStore } from '../../graph/graph-store.js';
import type { UpsertReport } from '../../model/graph.js';
import { uids } from '../../model/uid.js';
import type { BufferMetricSource, PushReport } from '../../metrics/buffer-metric-source.js';
import { LogIngestor } from '../logs/log-ingestor.js';
import { toMetricSeriesBatch } from '../metrics/to-metric-series-batch.js';
import { TraceIngestor } from '../traces/trace-ingestor.js';
import { caseLogRecords, caseSpanRecords } from './case-records.js';

export interface CaseIngestOptions {
  graph: GraphStore;
  /** Receives metrics.csv; without it metrics are skipped. */
  buffer?: BufferMetricSource;
  namespace?: string;
  cluster?: string;
}

export interface CaseIngestReport {
  case: string;
  /** What the reader did to the export (reading-notes.ts); empty when it was read as written. */
  read: string[];
  spans: number;
  logLines: number;
  metrics: PushReport | null;
  upserts: UpsertReport[];
}

/**
 * Ingests an offline case folder: traces.csv into CALLS/TracePatterns, logs.csv into LogTemplates,
 * metrics.csv into the buffer with its `MetricSeries` nodes, topology.csv into plain CALLS edges.
 * Replaying a case into the same ingestors is a no-op; a fresh call over the same graph rewrites the
 * same values (the statistics are recomputed from the files, not added to what the graph holds).
 */
export async function ingestCase(dir: string, opts: CaseIngestOptions): Promise<CaseIngestReport> {
  const c = await readCase(dir);
  const ns = opts.namespace ?? 'default';
  const cluster = opts.cluster ?? 'default';
  const upserts: UpsertReport[] = [];
  const traces = new TraceIngestor(opts.graph, { cluster, now: () => 0 });
  await traces.ingest(caseSpanRecords(c.spans, ns));
  const t = await traces.flush();
  if (t) upserts.push(t);
  const logs = await new LogIngestor(opts.graph, { cluster }).ingest(caseLogRecords(c.logs, ns));
  if (logs.upsert) upserts.push(logs.upsert);
  let metrics: PushReport | null = null;
  if (opts.buffer && c.series.length > 0) {
    metrics = opts.buffer.loadCase(c);
    const last = c.timestamps.length ? c.timestamps[c.timestamps.length - 1] * 1000 : undefined;
    upserts.push(
      await opts.graph.upsert(
        toMetricSeriesBatch(c.series, {
          source: 'buffer',
          namespace: ns,
          cluster,
          observedAt: last,
          machines: new Set((c.sharedHosts ?? []).map((h) => h.host)),
        }),
      ),
    );
  }
  if (c.topology.length > 0) {
    const svc = (n: string) => uids.service(n, ns, cluster);
    const names = [...new Set(c.topology.flatMap((e) => [e.source, e.target]))];
    upserts.push(
      await opts.graph.upsert({
        nodes: names.map((n) => ({ label: 'Service' as const, uid: svc(n), props: { name: n, namespace: ns } })),
        edges: c.topology.map((e) => ({
          type: 'CALLS' as const,
          from: svc(e.source),
          to: svc(e.target),
          props: { declared: true },
        })),
        observedAt: c.incident.start * 1000,
      }),
    );
  }
  return { case: c.name, read: readingNotes(c), spans: c.spans.length, logLines: c.logs.length, metrics, upserts };
}
