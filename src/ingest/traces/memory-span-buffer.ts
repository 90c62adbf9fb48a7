import type { SpanSource } from '../../ports/span-source.js';
import type { SpanRecord } from '../otel/span-record.js';

/**
 * A bounded in-memory buffer of the spans ingestion accepted: the embedded default's span source, so a
 * live incident's analysis judges each operation's own time and errors (trace-shift.ts, MicroRank) as
 * an offline case's does. The graph keeps only per-window call statistics. Oldest spans drop first
 * beyond `capacity`. Per process, like MemoryLogBuffer.
 */
export class MemorySpanBuffer implements SpanSource {
  private buf: SpanRecord[] = [];
  /** Spans before `head` were dropped; they are cut off in one go when they outnumber the kept ones. */
  private head = 0;

  constructor(private readonly capacity = 300_000) {}

  /** Appends spans (any order); keeps the `capacity` that started last. */
  append(spans: readonly SpanRecord[]): void {
    // Spans mostly arrive in start order: sort only when one started before the latest kept.
    let ordered = true;
    for (const s of spans) {
      const last = this.buf[this.buf.length - 1];
      if (last && s.startNs < last.startNs) ordered = false;
      this.buf.push(s);
    }
    if (!ordered) {
      this.compact();
      this.buf.sort((a, b) => a.startNs - b.startNs);
    }
    // Dropping is a move of `head`; the array is cut only now and then (no copy of it per request).
    if (this.buf.length - this.head > this.capacity) this.head = this.buf.length - this.capacity;
    if (this.head > this.capacity) this.compact();
  }

  async spans(fromMs: number, toMs: number): Promise<SpanRecord[]> {
    return this.buf.slice(this.firstAtOrAfter(fromMs * 1e6), this.firstAtOrAfter(toMs * 1e6));
  }

  get size(): number {
    return this.buf.length - this.head;
  }

  private compact(): void {
    if (this.head === 0) return;
    this.buf = this.buf.slice(this.head);
    this.head = 0;
  }

  /** Index of the first kept span with startNs ≥ t (binary search over the sorted buffer). */
  private firstAtOrAfter(t: number): number {
    let lo = this.head;
    let hi = this.buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf[mid].startNs < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
