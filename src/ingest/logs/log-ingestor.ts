import type { GraphStore } from '../../graph/graph-store.js';
import type { UpsertReport } from '../../model/graph.js';
import type { LogRecordIn } from '../otel/parse-otlp-logs.js';
import { SerialWriter } from '../serial-writer.js';
import { LogAggregator, type LogAddReport, type LogAggregatorOptions } from './log-aggregator.js';

export interface LogIngestReport extends LogAddReport {
  upsert: UpsertReport | null;
}

/** Thin adapter: mines lines with a LogAggregator and writes the changed template counts. */
export class LogIngestor {
  readonly aggregator: LogAggregator;
  private readonly writer: SerialWriter;

  /** `writer`: the process's one graph writer, shared with the other ingest paths (a private one when omitted). */
  constructor(graph: GraphStore, opts: Partial<LogAggregatorOptions> & { writer?: SerialWriter } = {}) {
    this.aggregator = new LogAggregator(opts);
    this.writer = opts.writer ?? new SerialWriter(graph);
  }

  /** Mines, counts and writes the lines' templates in one atomic batch. */
  async ingest(lines: readonly LogRecordIn[]): Promise<LogIngestReport> {
    const added = this.aggregator.add(lines);
    const batch = this.aggregator.drain();
    return { ...added, upsert: batch ? await this.writer.write(batch) : null };
  }
}
