/**
 * The offline case format (../shared/data/README.md) as plain typed data: what `readCase` returns.
 * Nothing here does I/O; algorithms take these shapes directly.
 */

/** One metric series of a case: column `<entity>|<metric>` of metrics.csv. */
export interface CaseSeries {
  /** The column name, `entity|metric`. */
  key: string;
  entity: string;
  metric: string;
  /** One value per row of `CaseData.timestamps`; NaN where the cell was empty (no sample). */
  values: Float64Array;
}

/** One span of traces.csv. */
export interface CaseSpan {
  traceId: string;
  spanId: string;
  /** null for a root span. */
  parentSpanId: string | null;
  entity: string;
  operation: string;
  /** Start in unix nanoseconds, as a double (precision ~256 ns at today's epoch; fine for latency). */
  startNs: number;
  durationNs: number;
  /** `ok`, `error`, an HTTP code, or '' when unknown. */
  status: string;
}

/** One row of logs.csv. */
export interface CaseLog {
  /** Unix seconds, possibly fractional. */
  timestamp: number;
  entity: string;
  /** As given, or read from the message when the cell is empty (message-level.ts). */
  level: string;
  message: string;
}

/** One caller → callee edge of topology.csv. */
export interface CaseEdge {
  source: string;
  target: string;
}

/** incident.json. */
export interface CaseIncident {
  /** Unix seconds when the incident began. */
  start: number;
  /** The entity whose SLI raised the alarm, when known. */
  entry?: string;
  /** That SLI's metric name, when known. */
  entryMetric?: string;
}

/** A host the reader made for shared series (shared-host-series.ts): its name, the entities whose rows carried them, its metrics. */
export interface SharedHost {
  host: string;
  entities: readonly string[];
  metrics: readonly string[];
}

/** A whole case. Optional files that were absent are empty arrays and flagged in `has`. */
export interface CaseData {
  /** The folder's base name (e.g. `high_traffic-test-issue_0`). */
  name: string;
  /** Unix seconds, sorted ascending (rows of metrics.csv are reordered if the file was not sorted). */
  timestamps: Float64Array;
  /** Series in column order of metrics.csv. */
  series: CaseSeries[];
  topology: CaseEdge[];
  spans: CaseSpan[];
  logs: CaseLog[];
  incident: CaseIncident;
  /** Which optional files were present. */
  has: { metrics: boolean; topology: boolean; traces: boolean; logs: boolean };
  /** Entity names read as the name another file uses (a pod as its service), when there were any. */
  renamed?: ReadonlyArray<{ from: string; to: string; replica: string | null }>;
  /** Time columns that were in another unit than the format's and were converted, when there were any. */
  timeUnits?: ReadonlyArray<{ what: string; unit: string }>;
  /** Metric rows merged for a repeated timestamp, and the grid made for series sampled at their own times. */
  metricRows?: { mergedRows: number; gridStepS: number | null };
  /** Columns that held cumulative counters and now hold per-second rates, when there were any. */
  counters?: readonly string[];
  /** Hosts made for resource series several entities shared (shared-host-series.ts), when there were any. */
  sharedHosts?: ReadonlyArray<SharedHost>;
  /** Span names that held identifiers (raw URLs), read as their routes, when there were any. */
  operationRoutes?: { names: number; routes: number; example: { from: string; to: string } };
  /** Files with lines holding bytes that are not UTF-8 (read with U+FFFD in their place), when there were any. */
  notUtf8?: ReadonlyArray<{ file: string; lines: number; firstLine: number }>;
}

/** One entry of truth.json: the root-cause entity of a case (other fields are kept as-is). */
export interface TruthEntry {
  entity: string;
  split?: string;
  part?: string;
}

/** truth.json: case name → its root cause. */
export type Truth = Record<string, TruthEntry>;
