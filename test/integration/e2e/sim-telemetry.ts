import { context, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { LogRecord, SimRun, Trace } from '../../../src/sim/index.js';

const SEVERITY: Record<string, SeverityNumber> = {
  DEBUG: SeverityNumber.DEBUG,
  INFO: SeverityNumber.INFO,
  WARN: SeverityNumber.WARN,
  WARNING: SeverityNumber.WARN,
  ERROR: SeverityNumber.ERROR,
  FATAL: SeverityNumber.FATAL,
};

/**
 * Replays a simulated run's spans and log records through the real OpenTelemetry JS SDK (one
 * provider per pod, OTLP/HTTP protobuf exporters), as instrumented services would send them.
 */
export class SdkReplayer {
  private readonly tracers = new Map<string, NodeTracerProvider>();
  private readonly loggers = new Map<string, LoggerProvider>();

  constructor(
    private readonly baseUrl: string,
    private readonly namespace: string,
  ) {}

  async sendTraces(traces: Iterable<Trace>): Promise<number> {
    let n = 0;
    for (const t of traces) {
      const contexts = new Map<string, Context>();
      for (const s of [...t.spans].sort((a, b) => a.startNs - b.startNs)) {
        const parent = s.parentSpanId ? contexts.get(s.parentSpanId) : undefined;
        const span = this.tracer(s.service, s.pod)
          .getTracer('sim')
          .startSpan(s.operation, { startTime: nsToHr(s.startNs) }, parent ?? context.active());
        if (s.status !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: s.statusMessage ?? s.status });
        span.end(nsToHr(s.startNs + s.durationNs));
        contexts.set(s.spanId, trace.setSpan(context.active(), span));
        n++;
      }
    }
    await Promise.all([...this.tracers.values()].map((p) => p.forceFlush()));
    return n;
  }

  async sendLogs(logs: Iterable<LogRecord>): Promise<number> {
    let n = 0;
    for (const l of logs) {
      this.logger(l.service, l.pod)
        .getLogger('sim')
        .emit({
          timestamp: l.timeMs,
          severityText: l.level,
          severityNumber: SEVERITY[l.level.toUpperCase()] ?? SeverityNumber.INFO,
          body: l.message,
        });
      n++;
    }
    await Promise.all([...this.loggers.values()].map((p) => p.forceFlush()));
    return n;
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.tracers.values(), ...this.loggers.values()].map((p) => p.shutdown()));
  }

  private resource(service: string, pod: string) {
    return resourceFromAttributes({
      'service.name': service,
      'k8s.pod.name': pod,
      'k8s.namespace.name': this.namespace,
    });
  }

  private tracer(service: string, pod: string): NodeTracerProvider {
    const key = `${service}/${pod}`;
    let p = this.tracers.get(key);
    if (!p) {
      p = new NodeTracerProvider({
        resource: this.resource(service, pod),
        spanProcessors: [
          new BatchSpanProcessor(new OTLPTraceExporter({ url: `${this.baseUrl}/v1/traces` }), {
            maxExportBatchSize: 512,
            maxQueueSize: 100_000,
          }),
        ],
      });
      this.tracers.set(key, p);
    }
    return p;
  }

  private logger(service: string, pod: string): LoggerProvider {
    const key = `${service}/${pod}`;
    let p = this.loggers.get(key);
    if (!p) {
      p = new LoggerProvider({
        resource: this.resource(service, pod),
        processors: [
          new BatchLogRecordProcessor({
            exporter: new OTLPLogExporter({ url: `${this.baseUrl}/v1/logs` }),
            maxExportBatchSize: 512,
            maxQueueSize: 100_000,
          }),
        ],
      });
      this.loggers.set(key, p);
    }
    return p;
  }
}

function nsToHr(ns: number): [number, number] {
  const s = Math.floor(ns / 1e9);
  return [s, Math.round(ns - s * 1e9)];
}

/** The run with every service moved into `namespace`, so a test owns its part of the shared graph. */
export function inNamespace(run: SimRun, namespace: string): SimRun['topology'] {
  return { ...run.topology, services: run.topology.services.map((s) => ({ ...s, namespace })) };
}
