/**
 * The simulator's public vocabulary: options in, a run out. Everything is plain data (typed arrays,
 * arrays, records) so detectors, log miners, alert compressors and RCA can consume it directly.
 * Times: unix milliseconds for `start`, seconds (`…S`) for offsets, unix seconds in metric timestamps,
 * unix nanoseconds (bigint-free numbers) in spans.
 */

/** The fault kinds the simulator can inject (see faults.ts for what each one does). */
export const FAULT_TYPES = [
  'cpu-hog',
  'memory-leak',
  'network-delay',
  'packet-loss',
  'pod-crash',
  'error-return',
  'config-change',
  'dependency-timeout',
  'wrong-return',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/**
 * The faults whose target shows a symptom of its own (resources, latency, errors, restarts, log lines).
 * `wrong-return` is silent: its target only stops making some calls, so metric detectors and log checks
 * cannot be asked to find it on the target.
 */
export const SYMPTOMATIC_FAULT_TYPES: readonly FaultType[] = FAULT_TYPES.filter((t) => t !== 'wrong-return');

/** One injected fault. `target` is a service name or a pod name of the simulated system. */
export interface FaultSpec {
  type: FaultType;
  target: string;
  /** Offset from the run's start, seconds. */
  startS: number;
  durationS: number;
  /** 0..1+, scales the fault's strength; 1 is the default severity. */
  severity?: number;
}

/** Which system to simulate: the real Online Boutique, or a generated one of a given size. */
export type SystemSpec = 'online-boutique' | { generated: { services: number } };

export interface SimOptions {
  system: SystemSpec;
  /** Seeds every random stream; the same options always give the same run. */
  seed: number;
  /** Unix milliseconds of the first metric step. */
  start: number;
  durationS: number;
  /** Metric resolution in seconds (30 = a Prometheus scrape every 30 s). */
  stepS: number;
  faults: FaultSpec[];
  /** Sampled traces started per second at peak load by the entry service(s). Default 1. */
  traceRatePerS?: number;
  /** Log lines per request served (sampling), default 0.02; error lines are not sampled down. */
  logsPerRequest?: number;
  /** Requests per second at the entry at peak load. Default depends on the system. */
  peakRps?: number;
  /** Adds benign load bursts and background noise alerts (default true). */
  noise?: boolean;
  /** Scales the step-to-step jitter of every service's latency and every pod's CPU (default 1). */
  noiseScale?: number;
  /**
   * Traces carry a client span around every call, as OTel instrumentation records them (default false).
   * Either way a pod's network delay lies outside its own server span, on what it sends.
   */
  clientSpans?: boolean;
}

/** One call edge of the service graph, caller → callee. */
export interface CallEdge {
  source: string;
  target: string;
}

/** An operation (gRPC method, HTTP route, DB command) and the operations it calls. */
export interface Operation {
  service: string;
  name: string;
  /** Median self time in ms (excluding downstream calls). */
  selfMs: number;
  /** Share of the system's external request rate that enters here (0 for internal operations). */
  entryShare: number;
  calls: OperationCall[];
}

/** A call from one operation to another; `count` calls per request, each made with probability `p`. */
export interface OperationCall {
  service: string;
  operation: string;
  count: number;
  p: number;
  /** Share of this callee's errors the caller turns into its own errors (0 = has a fallback). */
  errorPropagation: number;
}

export type ServiceKind = 'frontend' | 'api' | 'backend' | 'database' | 'cache' | 'queue';

export interface ServiceInfo {
  name: string;
  kind: ServiceKind;
  /** Implementation language; picks the log format. */
  language: 'go' | 'csharp' | 'node' | 'python' | 'java' | 'redis' | 'postgres';
  namespace: string;
  replicas: number;
  /** CPU request/limit in cores and memory limit in MiB (per pod). */
  cpuLimit: number;
  memoryLimitMiB: number;
  port: number;
}

export interface PodInfo {
  name: string;
  service: string;
  machine: string;
  ip: string;
}

export interface MachineInfo {
  name: string;
  ip: string;
  cpuCores: number;
  memoryMiB: number;
}

export interface Topology {
  name: string;
  services: ServiceInfo[];
  edges: CallEdge[];
  operations: Operation[];
  pods: PodInfo[];
  machines: MachineInfo[];
}

export type EntityKind = 'service' | 'pod' | 'machine';

/** One metric series over the run's step timestamps; NaN = no sample. */
export interface MetricSeries {
  entity: string;
  kind: EntityKind;
  metric: string;
  unit: string;
  values: Float64Array;
}

export interface SimMetrics {
  /** Unix seconds of each step. */
  timestamps: Float64Array;
  /** Keyed `<entity>|<metric>`, the offline case column name. */
  series: Map<string, MetricSeries>;
}

export type SpanStatus = 'ok' | 'error';

export interface Span {
  traceId: string;
  spanId: string;
  /** Empty string for the root span. */
  parentSpanId: string;
  service: string;
  operation: string;
  pod: string;
  /** Unix nanoseconds as a number (exact to ~0.25 µs near the current epoch; fine for simulation). */
  startNs: number;
  durationNs: number;
  status: SpanStatus;
  /** gRPC status or HTTP code when not ok, e.g. `DEADLINE_EXCEEDED`, `500`. */
  statusMessage?: string;
  /** `client` for a caller's span around a call (only with SimOptions.clientSpans); server otherwise. */
  kind?: 'server' | 'client';
}

export interface Trace {
  traceId: string;
  spans: Span[];
}

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

export interface LogRecord {
  /** Unix milliseconds. */
  timeMs: number;
  service: string;
  pod: string;
  level: LogLevel;
  message: string;
  /** The template id this line was rendered from (ground truth for log mining). */
  templateId: string;
  traceId?: string;
}

/** A Prometheus-style alert instance: one firing episode. Flapping makes several share a fingerprint. */
export interface SimAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Unix milliseconds. */
  startsAt: number;
  /** Unix milliseconds when it resolved, or null when still firing at the end of the run. */
  endsAt: number | null;
  /** Alertmanager fingerprint of the label set (16 hex digits, FNV-1a 64). */
  fingerprint: string;
  /** Index into `truth.faults` of the incident this alert belongs to, or null for background noise. */
  incident: number | null;
}

/** A recorded change (deploy, ConfigMap edit), benign or the cause of a fault. */
export interface ChangeEvent {
  /** Unix milliseconds. */
  time: number;
  kind: 'ConfigMap' | 'Deployment';
  name: string;
  service: string;
  description: string;
  /** Index into `truth.faults` when this change caused a fault. */
  fault: number | null;
}

export interface TruthFault {
  id: string;
  type: FaultType;
  /** The root-cause entity as given in the spec (service or pod name). */
  target: string;
  targetKind: 'service' | 'pod';
  service: string;
  pods: string[];
  machines: string[];
  /** Unix milliseconds. */
  start: number;
  end: number;
  /** Services whose signals the fault moves: the target and its transitive callers. */
  affectedServices: string[];
  /** Fingerprints of the alerts that belong to this incident. */
  alertFingerprints: string[];
  /** The target's own signal that moves first, and the metric callers see. */
  ownMetric: string;
}

export interface GroundTruth {
  faults: TruthFault[];
  changes: ChangeEvent[];
  /** Fingerprints of alerts that belong to no fault. */
  noiseAlertFingerprints: string[];
}

export interface SimRun {
  options: Required<Omit<SimOptions, 'peakRps'>> & { peakRps: number };
  topology: Topology;
  metrics: SimMetrics;
  /** Sampled traces in time order, optionally restricted to [fromS, toS) offsets. Deterministic. */
  traces(window?: { fromS?: number; toS?: number }): Generator<Trace>;
  /** Log records in time order, optionally restricted to [fromS, toS) offsets. Deterministic. */
  logs(window?: { fromS?: number; toS?: number }): Generator<LogRecord>;
  alerts: SimAlert[];
  truth: GroundTruth;
}
