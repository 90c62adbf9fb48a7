/** Where a span (or log line) came from: its resource's service, namespace, pod and machine. */
export interface ResourceIdentity {
  service: string;
  namespace: string;
  pod: string | null;
  machine: string | null;
}

/** One span reduced to what call graphs and trace patterns need. Times in unix nanoseconds (doubles). */
export interface SpanRecord extends ResourceIdentity {
  traceId: string;
  spanId: string;
  /** null for a root span. */
  parentSpanId: string | null;
  operation: string;
  startNs: number;
  durationNs: number;
  /** Status ERROR, an HTTP 5xx, or a case status of `error`/5xx. */
  error: boolean;
  /**
   * The callee a client or producer span names (peer.service, a database's or broker's server): stands in
   * for a callee that writes no spans of its own (src/ingest/otel/span-peer.ts). Absent when it names none.
   */
  peer?: string;
}

/** Partial failure as data: a rejected span (or envelope part) with its path and reason. */
export interface ParsedSpans {
  accepted: SpanRecord[];
  rejected: Array<{ where: string; reason: string }>;
}
