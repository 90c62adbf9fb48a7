/**
 * OTLP protobuf, decoded with the official opentelemetry-proto definitions: the protobufjs static
 * code that OpenTelemetry JS generated from them (the `otlp-proto-static` dependency is
 * @opentelemetry/otlp-transformer 0.212, the last release whose generated code has all three signals; nothing
 * else of it is used). Unknown fields are skipped by the decoder, as protobuf intends.
 */
import otlpRoot from 'otlp-proto-static/build/src/generated/root.js';
import { InputError } from '../../errors.js';

/** What rootgraph uses of a generated message class. */
export interface OtlpMessageType {
  readonly name: string;
  decode(bytes: Uint8Array): object;
  encode(message: object): { finish(): Uint8Array };
  fromObject(json: object): object;
  toObject(message: object, opts?: Record<string, unknown>): Record<string, unknown>;
}

type Collector = Record<string, { v1: Record<string, OtlpMessageType> }>;
const collector = (otlpRoot as unknown as { opentelemetry: { proto: { collector: Collector } } }).opentelemetry.proto
  .collector;

const TYPES = {
  ExportTraceServiceRequest: collector.trace.v1.ExportTraceServiceRequest,
  ExportTraceServiceResponse: collector.trace.v1.ExportTraceServiceResponse,
  ExportLogsServiceRequest: collector.logs.v1.ExportLogsServiceRequest,
  ExportLogsServiceResponse: collector.logs.v1.ExportLogsServiceResponse,
  ExportMetricsServiceRequest: collector.metrics.v1.ExportMetricsServiceRequest,
  ExportMetricsServiceResponse: collector.metrics.v1.ExportMetricsServiceResponse,
};

/** The generated class of one OTLP export message, e.g. `ExportTraceServiceRequest`. */
export const otlpType = (name: keyof typeof TYPES): OtlpMessageType => TYPES[name];

/** The signals OTLP/HTTP carries. */
export type OtlpSignal = 'traces' | 'logs' | 'metrics';

const REQUEST: Record<OtlpSignal, keyof typeof TYPES> = {
  traces: 'ExportTraceServiceRequest',
  logs: 'ExportLogsServiceRequest',
  metrics: 'ExportMetricsServiceRequest',
};

/**
 * Decodes an OTLP protobuf request into the OTLP JSON shape (lowerCamelCase fields, 64-bit integers
 * as decimal strings, bytes as base64 — the JSON parsers accept base64 ids as well as hex), so
 * one parser serves both encodings. Throws InputError when the bytes are not that message.
 */
export function decodeOtlpProtobuf(kind: OtlpSignal, body: Uint8Array): unknown {
  const type = otlpType(REQUEST[kind]);
  try {
    return type.toObject(type.decode(body), {
      longs: String,
      bytes: String,
      enums: Number,
      defaults: false,
      arrays: false,
    });
  } catch (err) {
    throw new InputError('body', `not a protobuf ${type.name}: ${(err as Error).message}`, { cause: err });
  }
}

/** Encodes an OTLP export response (partial success when something was rejected). */
export function encodeOtlpResponse(kind: OtlpSignal, rejected: number, message: string): Uint8Array {
  if (rejected === 0) return new Uint8Array(0);
  const type = otlpType(RESPONSE[kind]);
  return type.encode(type.fromObject({ partialSuccess: partialSuccess(kind, rejected, message) })).finish();
}

const RESPONSE: Record<OtlpSignal, keyof typeof TYPES> = {
  traces: 'ExportTraceServiceResponse',
  logs: 'ExportLogsServiceResponse',
  metrics: 'ExportMetricsServiceResponse',
};

/** The partialSuccess of a response, by signal (its count field is named for what it counts). */
export function partialSuccess(kind: OtlpSignal, rejected: number, message: string): Record<string, unknown> {
  const field = { traces: 'rejectedSpans', logs: 'rejectedLogRecords', metrics: 'rejectedDataPoints' }[kind];
  return { [field]: String(rejected), errorMessage: message };
}
