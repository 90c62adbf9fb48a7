import type { GraphStore } from '../../graph/graph-store.js';
import type { UpsertReport } from '../../model/graph.js';
import { Intake, type Accept } from '../durable/intake.js';
import { parseSpansPayload, payloadOf, type OtlpBody } from '../otel/otlp-body.js';
import type { SpanRecord } from '../../model/span-record.js';
import { SerialWriter } from '../serial-writer.js';
import { TraceAggregator, type AddReport, type TraceAggregatorOptions } from './trace-aggregator.js';

/** What one ingest call did: spans buffered, and the graph write of traces completed meanwhile. */
export interface TraceIngestReport extends AddReport {
  upsert: UpsertReport | null;
}

/** What the intake keeps of accepted spans: the request body when there is one, else the records. */
export type JournaledSpans = { otlp: OtlpBody } | { spans: readonly SpanRecord[] };

/** The accepted spans of a journaled request (parsed again the same way: same receive time). */
function spansOf(j: JournaledSpans): readonly SpanRecord[] {
  return 'spans' in j ? j.spans : parseSpansPayload(payloadOf(j.otlp), j.otlp).accepted;
}

/**
 * Thin adapter between span records and the graph: buffers spans in a TraceAggregator and writes
 * the compressed statistics of completed traces. Call `flush()` on shutdown or at the end of a
 * file; a server calls `tick()` periodically so idle traces are written.
 */
export class TraceIngestor {
  private current: TraceAggregator;
  private readonly writer: SerialWriter;
  private readonly accept: Accept<JournaledSpans, readonly SpanRecord[], AddReport>;
  private readonly writeEveryMs: number;
  private readonly recent: { append(spans: readonly SpanRecord[]): void } | undefined;
  private lastWrite = Number.NEGATIVE_INFINITY;

  /**
   * `writer`: the process's one graph writer, shared with the other ingest paths (a private one when omitted).
   * `writeEveryMs`: `ingest` writes at most this often (ms of the aggregator's clock), so under load one
   * write carries the statistics of many requests; 0 (the default) writes after every request. `tick`
   * and `flush` always write. `intake`: where accepted spans are journaled before they are answered and
   * the aggregator checkpointed, so spans of open traces survive a crash (volatile when omitted).
   * `recent`: also keeps each accepted span there (the recent spans a live analysis reads).
   */
  constructor(
    graph: GraphStore,
    opts: Partial<TraceAggregatorOptions> & {
      writer?: SerialWriter;
      writeEveryMs?: number;
      intake?: Intake;
      recent?: { append(spans: readonly SpanRecord[]): void };
    } = {},
  ) {
    const { writer, writeEveryMs, intake, recent, ...aggregatorOpts } = opts;
    this.recent = recent;
    this.current = new TraceAggregator(aggregatorOpts);
    this.writer = writer ?? new SerialWriter(graph);
    this.writeEveryMs = writeEveryMs ?? 0;
    this.accept = (intake ?? Intake.volatile()).channel('spans', {
      decode: spansOf,
      apply: (spans) => this.current.add(spans),
      snapshot: () => this.current.snapshot(),
      restore: (state) => void (this.current = TraceAggregator.restore(state, aggregatorOpts)),
    });
  }

  /** The aggregator (replaced when a checkpoint is restored). */
  get aggregator(): TraceAggregator {
    return this.current;
  }

  /**
   * Buffers spans and writes whatever traces went idle (when a write is due). `from`: the request they
   * were parsed from, which the intake keeps instead of the records.
   */
  async ingest(spans: readonly SpanRecord[], from?: OtlpBody): Promise<TraceIngestReport> {
    const added = await this.accept(from ? { otlp: from } : { spans }, spans);
    // An exporter's retry (every span already buffered) adds nothing for the analyses either.
    if (added.accepted > 0 || added.duplicates === 0) this.recent?.append(spans);
    const due = this.aggregator.options.now() - this.lastWrite >= this.writeEveryMs;
    return { ...added, upsert: due ? await this.tick() : null };
  }

  /** Writes traces that went idle; null when nothing changed. */
  async tick(): Promise<UpsertReport | null> {
    this.lastWrite = this.aggregator.options.now();
    const batch = this.aggregator.drain();
    return batch ? this.writer.write(batch) : (await this.writer.idle(), null);
  }

  /** Folds every buffered trace, complete or not, and writes it. */
  async flush(): Promise<UpsertReport | null> {
    this.lastWrite = this.aggregator.options.now();
    const batch = this.aggregator.drain({ force: true });
    return batch ? this.writer.write(batch) : (await this.writer.idle(), null);
  }
}
