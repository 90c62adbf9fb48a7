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
    this.buf.push(...lines);
    this.buf.sort((a, b) => a.timeMs - b.timeMs);
    if (this.buf.length > this.capacity) this.buf = this.buf.slice(this.buf.length - this.capacity);
  }

  async lines(from: number, to: number): Promise<LogLine[]> {
    return this.buf.filter((l) => l.timeMs >= from && l.timeMs < to);
  }
}
