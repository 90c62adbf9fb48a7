import type { LogLine } from '../../logs/template-windows.js';
import type { LogLineSource } from '../../ports/log-line-source.js';

/**
 * A bounded in-memory buffer of log lines that ingestion appends to: the embedded default's log
 * source. Oldest lines drop first beyond `capacity`. Per process: in full mode use a shared store.
 */
export class MemoryLogBuffer implements LogLineSource {
  private buf: LogLine[] = [];

  constructor(private readonly capacity = 200_000) {}

  /** Appends lines (any order); keeps the newest `capacity`. */
  append(lines: readonly LogLine[]): void {
    // Lines mostly arrive in time order: sort only when one is older than the newest kept.
    let ordered = true;
    for (const l of lines) {
      const last = this.buf[this.buf.length - 1];
      if (last && l.timeMs < last.timeMs) ordered = false;
      this.buf.push(l);
    }
    if (!ordered) this.buf.sort((a, b) => a.timeMs - b.timeMs);
    if (this.buf.length > this.capacity) this.buf.splice(0, this.buf.length - this.capacity);
  }

  async lines(from: number, to: number): Promise<LogLine[]> {
    return this.buf.slice(this.firstAtOrAfter(from), this.firstAtOrAfter(to));
  }

  /** Index of the first line with timeMs ≥ t (binary search over the sorted buffer). */
  private firstAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf[mid].timeMs < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
