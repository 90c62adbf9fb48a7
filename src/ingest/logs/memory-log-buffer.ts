import type { LogLine } from '../../logs/template-windows.js';
import type { LogLineSource } from '../../ports/log-line-source.js';
import { TimeOrderedBuffer } from '../time-ordered-buffer.js';

/**
 * The log lines ingestion accepted, the newest `capacity`: the embedded default's log source. Per
 * process: in full mode use a shared store.
 */
export class MemoryLogBuffer implements LogLineSource {
  private readonly kept: TimeOrderedBuffer<LogLine>;

  constructor(capacity = 200_000) {
    this.kept = new TimeOrderedBuffer((l) => l.timeMs, capacity);
  }

  /** Appends lines (any order). */
  append(lines: readonly LogLine[]): void {
    this.kept.append(lines);
  }

  async lines(from: number, to: number): Promise<LogLine[]> {
    return this.kept.range(from, to);
  }

  /** Lines kept (at most `capacity`). */
  get size(): number {
    return this.kept.size;
  }
}
