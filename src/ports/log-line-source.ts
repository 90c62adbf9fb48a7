import type { LogLine } from '../logs/template-windows.js';

/** Where scheduled log checks read recent log lines (the ingest buffer in embedded mode). */
export interface LogLineSource {
  /** Lines with from ≤ timeMs < to (unix ms), in time order. */
  lines(from: number, to: number): Promise<LogLine[]>;
}
