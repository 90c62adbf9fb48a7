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
    if (spans.length === 0) return;
    // A request's spans are rarely in start order (a child is exported before its parent), but they
    // are recent: sort the batch alone and merge it into the few kept spans that started after it.
    const batch = [...spans].sort(byStart);
    const last = this.buf[this.buf.length - 1];
    if (!last || batch[0].startNs >= last.startNs) for (const s of batch) this.buf.push(s);
    else {
      const tail = this.buf.splice(this.firstAtOrAfter(batch[0].startNs));
      let i = 0,
        j = 0;
      while (i < tail.length || j < batch.length)
        this.buf.push(
          j >= batch.length || (i < tail.length && tail[i].startNs <= batch[j].startNs) ? tail[i++] : batch[j++],
        );
    }
    // Dropping is a move of `head`; the array is cut only now and then (no copy of it per request),
    // so it holds up to twice `capacity` between cuts.
    if (this.buf.length - this.head > this.capacity) this.head = this.buf.length - this.capacity;
    if (this.head > this.capacity) this.compact();
  }

  /** The kept spans that started in [fromMs, toMs), in start order. */
  async spans(fromMs: number, toMs: number): Promise<SpanRecord[]> {
    return this.buf.slice(this.firstAtOrAfter(fromMs * 1e6), this.firstAtOrAfter(toMs * 1e6));
  }

  /** Spans kept (at most `capacity`). */
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

const byStart = (a: SpanRecord, b: SpanRecord): number => a.startNs - b.startNs;
