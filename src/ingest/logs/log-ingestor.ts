import type { GraphStore } from '../../graph/graph-store.js';
import type { LogLine } from '../../logs/template-windows.js';
import type { UpsertReport } from '../../model/graph.js';
import { Intake, type Accept } from '../durable/intake.js';
import { parseLogsPayload, payloadOf, type OtlpBody } from '../otel/otlp-body.js';
import type { LogRecordIn } from '../otel/parse-otlp-logs.js';
import { SerialWriter } from '../serial-writer.js';
import { LogAggregator, type LogAddReport, type LogAggregatorOptions } from './log-aggregator.js';

export interface LogIngestReport extends LogAddReport {
  upsert: UpsertReport | null;
}

/** What the intake keeps of accepted lines: the request body when there is one, else the records. */
export type JournaledLines = { otlp: OtlpBody } | { lines: readonly LogRecordIn[] };

/** The accepted lines of a journaled request (parsed again the same way: same receive time). */
function linesOf(j: JournaledLines): readonly LogRecordIn[] {
  return 'lines' in j ? j.lines : parseLogsPayload(payloadOf(j.otlp), j.otlp).accepted;
}

/**
 * A received record as the log checks read it, placed where the aggregator files its templates
 * (the record's namespace, the aggregator's cluster), so the checks' findings land on that Service.
 */
const toLogLine = (r: LogRecordIn, cluster: string): LogLine => ({
  timeMs: r.timeMs,
  service: r.service,
  namespace: r.namespace,
  cluster,
  ...(r.level ? { level: r.level } : {}),
  message: r.message,
});

/** Thin adapter: mines lines with a LogAggregator and writes the changed template counts. */
export class LogIngestor {
  private current: LogAggregator;
  private readonly writer: SerialWriter;
  private readonly accept: Accept<JournaledLines, readonly LogRecordIn[], LogAddReport>;

  /**
   * `writer`: the process's one graph writer, shared with the other ingest paths (a private one when omitted);
   * `intake`: where accepted lines are journaled and the miner's state checkpointed (volatile when omitted).
   */
  constructor(
    graph: GraphStore,
    opts: Partial<LogAggregatorOptions> & {
      writer?: SerialWriter;
      intake?: Intake;
      /** Also keeps each line the aggregator counted here (not late, not a replay): the recent lines the scheduled log checks read. */
      recent?: { append(lines: readonly LogLine[]): void };
    } = {},
  ) {
    const { writer, intake, recent, ...aggregatorOpts } = opts;
    this.current = new LogAggregator(aggregatorOpts);
    this.writer = writer ?? new SerialWriter(graph);
    this.accept = (intake ?? Intake.volatile()).channel('log-lines', {
      decode: linesOf,
      apply: (lines) => {
        const { acceptedLines, ...report } = this.current.add(lines);
        // The aggregator's late and replay decision, so a retried export is not counted twice by the checks.
        recent?.append(acceptedLines.map((r) => toLogLine(r, this.current.options.cluster)));
        return report;
      },
      snapshot: () => this.current.snapshot(),
      restore: (state) => void (this.current = LogAggregator.restore(state, aggregatorOpts)),
    });
  }

  /** The aggregator (replaced when a checkpoint is restored). */
  get aggregator(): LogAggregator {
    return this.current;
  }

  /**
   * Mines, counts and writes the lines' templates in one atomic batch. `from`: the request they were
   * parsed from, which the intake keeps instead of the records.
   */
  async ingest(lines: readonly LogRecordIn[], from?: OtlpBody): Promise<LogIngestReport> {
    const added = await this.accept(from ? { otlp: from } : { lines }, lines);
    return { ...added, upsert: await this.write() };
  }

  /** Writes the templates changed since the last write (after a recovery, what it re-applied); null when none. */
  async write(): Promise<UpsertReport | null> {
    const batch = this.current.drain();
    return batch ? this.writer.write(batch) : null;
  }
}
