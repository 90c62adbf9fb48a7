import type { SpanSource } from '../../ports/span-source.js';
import type { SpanRecord } from '../../model/span-record.js';
import { TimeOrderedBuffer } from '../time-ordered-buffer.js';

/**
 * The spans ingestion accepted, the latest `capacity` by start: the embedded default's span source, so
 * a live incident's analysis judges each operation's own time and errors (trace-shift.ts, MicroRank) as
 * an offline case's does. The graph keeps only per-window call statistics. Per process.
 */
export class MemorySpanBuffer implements SpanSource {
  private readonly kept: TimeOrderedBuffer<SpanRecord>;

  constructor(capacity = 300_000) {
    this.kept = new TimeOrderedBuffer((s) => s.startNs, capacity);
  }

  /** Appends spans (any order; a child is often exported before its parent). */
  append(spans: readonly SpanRecord[]): void {
    this.kept.append(spans);
  }

  /** The kept spans that started in [fromMs, toMs), in start order. */
  async spans(fromMs: number, toMs: number): Promise<SpanRecord[]> {
    return this.kept.range(fromMs * 1e6, toMs * 1e6);
  }

  /** Spans kept (at most `capacity`). */
  get size(): number {
    return this.kept.size;
  }
}
