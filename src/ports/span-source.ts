import type { SpanRecord } from '../model/span-record.js';

/** Where a live root-cause analysis reads recent spans (the ingest buffer in embedded mode). */
export interface SpanSource {
  /** Spans that started with fromMs ≤ start < toMs (unix ms), in start order. */
  spans(fromMs: number, toMs: number): Promise<SpanRecord[]>;
}
