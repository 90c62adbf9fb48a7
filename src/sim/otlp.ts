/**
 * Simulated traces and logs in OTLP/HTTP JSON (opentelemetry-proto, JSON encoding per the OTLP spec:
 * hex trace/span ids, 64-bit integers as decimal strings, enums as numbers, lowerCamelCase fields).
 * Spans and logs are grouped per resource (service.name, k8s.pod.name, k8s.namespace.name,
 * k8s.node.name), as an OpenTelemetry Collector with the k8sattributes processor would send them.
 */
import { DEFAULTS as ENGINE } from './state.js';
import type { LogLevel, LogRecord, Span, Topology, Trace } from './types.js';

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean };
type KeyValue = { key: string; value: AnyValue };

/** Knobs of the OTLP encoding. */
export const DEFAULTS = { scope: { name: 'rootgraph-sim', version: '0.1.0' } } as const;

const SEVERITY: Record<LogLevel, number> = { DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21 };
const str = (key: string, v: string): KeyValue => ({ key, value: { stringValue: v } });
const ns = (n: number): string => BigInt(Math.round(n)).toString();

function resources(topology: Topology): Map<string, KeyValue[]> {
  const nsOf = new Map(topology.services.map((s) => [s.name, s.namespace]));
  return new Map(
    topology.pods.map((p) => [
      p.name,
      [
        str('service.name', p.service),
        str('k8s.pod.name', p.name),
        str('k8s.namespace.name', nsOf.get(p.service) ?? 'default'),
        str('k8s.node.name', p.machine),
      ],
    ]),
  );
}

/**
 * An ExportTraceServiceRequest body for `traces`. With `datastoreSpans: 'none'`, datastores (Redis,
 * Postgres) write no spans of their own, as in most deployments: each call to one is its caller's client
 * span naming it (db.system, server.address as the Service's cluster DNS name). Pure.
 */
export function toOtlpTraces(
  topology: Topology,
  traces: Iterable<Trace>,
  opts: { datastoreSpans?: 'server' | 'none' } = {},
): { resourceSpans: unknown[] } {
  const res = resources(topology);
  const datastores = new Map(
    opts.datastoreSpans === 'none'
      ? topology.services
          .filter((s) => s.language === 'redis' || s.language === 'postgres')
          .map((s) => [s.name, { system: s.language, address: `${s.name}.${s.namespace}.svc.cluster.local` }])
      : [],
  );
  const byPod = new Map<string, unknown[]>();
  const push = (pod: string, span: Record<string, unknown>) => {
    const list = byPod.get(pod) ?? [];
    list.push(span);
    byPod.set(pod, list);
  };
  for (const tr of traces) {
    const byId = new Map<string, Span>();
    const calleeOf = new Map<string, Span>();
    if (datastores.size > 0)
      for (const s of tr.spans) {
        byId.set(s.spanId, s);
        if (s.parentSpanId) calleeOf.set(s.parentSpanId, s);
      }
    for (const s of tr.spans) {
      const store = datastores.get(s.service);
      const parent = store ? byId.get(s.parentSpanId) : undefined;
      if (!store || !parent) {
        // A client span calling a datastore names it (the datastore's own span is not written).
        const callee = s.kind === 'client' ? calleeOf.get(s.spanId) : undefined;
        push(s.pod, otlpSpan(s, callee && datastores.get(callee.service)));
        continue;
      }
      if (parent.kind === 'client') continue;
      // Without client spans the call is written as the caller's client span, under the caller's resource,
      // ending when the caller stopped waiting (a timed-out call fails on the client's side).
      const timeoutNs = ENGINE.callTimeoutMs * 1e6;
      const call: Span = { ...s, kind: 'client', service: parent.service, pod: parent.pod };
      if (s.durationNs > timeoutNs)
        Object.assign(call, { durationNs: timeoutNs, status: 'error', statusMessage: 'DEADLINE_EXCEEDED' });
      push(parent.pod, otlpSpan(call, store));
    }
  }
  return {
    resourceSpans: [...byPod].map(([pod, spans]) => ({
      resource: { attributes: res.get(pod) ?? [] },
      scopeSpans: [{ scope: DEFAULTS.scope, spans }],
    })),
  };
}

function otlpSpan(s: Span, datastore?: { system: string; address: string }): Record<string, unknown> {
  const http = /^(GET|POST|PUT|DELETE) /.exec(s.operation);
  const attributes: KeyValue[] = datastore
    ? [str('db.system', datastore.system), str('server.address', datastore.address), str('db.operation', s.operation)]
    : http
      ? [
          str('http.request.method', http[1]),
          str('http.route', s.operation.slice(http[0].length)),
          {
            key: 'http.response.status_code',
            value: { intValue: s.status === 'ok' ? '200' : (s.statusMessage ?? '500') },
          },
        ]
      : [
          str('rpc.system', s.operation.includes('/') ? 'grpc' : 'redis'),
          str('rpc.method', s.operation.split('/').pop() ?? s.operation),
        ];
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.operation,
    kind: s.kind === 'client' ? 3 : 2, // SPAN_KIND_CLIENT / SPAN_KIND_SERVER
    startTimeUnixNano: ns(s.startNs),
    endTimeUnixNano: ns(s.startNs + s.durationNs),
    attributes,
    status: s.status === 'ok' ? { code: 1 } : { code: 2, message: s.statusMessage ?? 'error' },
  };
}

/** An ExportLogsServiceRequest body for `logs`. Pure. */
export function toOtlpLogs(topology: Topology, logs: Iterable<LogRecord>): { resourceLogs: unknown[] } {
  const res = resources(topology);
  const byPod = new Map<string, unknown[]>();
  for (const l of logs) {
    const list = byPod.get(l.pod) ?? [];
    list.push({
      timeUnixNano: ns(l.timeMs * 1e6),
      observedTimeUnixNano: ns(l.timeMs * 1e6 + 1e6),
      severityNumber: SEVERITY[l.level],
      severityText: l.level,
      body: { stringValue: l.message },
      attributes: [],
      ...(l.traceId ? { traceId: l.traceId } : {}),
    });
    byPod.set(l.pod, list);
  }
  return {
    resourceLogs: [...byPod].map(([pod, logRecords]) => ({
      resource: { attributes: res.get(pod) ?? [] },
      scopeLogs: [{ scope: DEFAULTS.scope, logRecords }],
    })),
  };
}

/** One slice of simulated metric series: sample times (unix seconds) and each series' values there (NaN = none). */
export interface MetricSlice {
  timestamps: readonly number[];
  series: ReadonlyArray<{
    entity: string;
    kind: 'service' | 'pod' | 'machine';
    metric: string;
    unit: string;
    values: readonly number[];
  }>;
}

/**
 * An ExportMetricsServiceRequest body for a slice of metric series, as gauges on resources that
 * say what each entity is: a service (service.name, k8s.namespace.name), a pod (also
 * k8s.deployment.name, k8s.pod.name and k8s.node.name) or a node (k8s.node.name). Pure.
 */
export function toOtlpMetrics(topology: Topology, slice: MetricSlice): { resourceMetrics: unknown[] } {
  const nsOf = new Map(topology.services.map((s) => [s.name, s.namespace]));
  const podOf = new Map(topology.pods.map((p) => [p.name, p]));
  const resourceOf = (kind: string, entity: string): KeyValue[] => {
    if (kind === 'machine') return [str('k8s.node.name', entity)];
    const pod = kind === 'pod' ? podOf.get(entity) : undefined;
    const service = pod ? pod.service : entity;
    const attrs = [str('service.name', service), str('k8s.namespace.name', nsOf.get(service) ?? 'default')];
    // Service-level series (SLIs over all pods) belong to the Service; a pod's to the Pod, placed in its Deployment.
    return pod
      ? [
          ...attrs,
          str('k8s.deployment.name', service),
          str('k8s.pod.name', pod.name),
          str('k8s.node.name', pod.machine),
        ]
      : attrs;
  };
  const byEntity = new Map<string, { resource: KeyValue[]; metrics: unknown[] }>();
  for (const s of slice.series) {
    const key = `${s.kind}/${s.entity}`;
    const group = byEntity.get(key) ?? { resource: resourceOf(s.kind, s.entity), metrics: [] };
    const dataPoints = slice.timestamps.flatMap((t, i) =>
      Number.isFinite(s.values[i]) ? [{ timeUnixNano: ns(t * 1e9), asDouble: s.values[i] }] : [],
    );
    if (dataPoints.length > 0) group.metrics.push({ name: s.metric, unit: s.unit, gauge: { dataPoints } });
    byEntity.set(key, group);
  }
  return {
    resourceMetrics: [...byEntity.values()]
      .filter((g) => g.metrics.length > 0)
      .map((g) => ({
        resource: { attributes: g.resource },
        scopeMetrics: [{ scope: DEFAULTS.scope, metrics: g.metrics }],
      })),
  };
}
