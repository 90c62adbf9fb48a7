/**
 * The slice of opentelemetry-proto (v1: common, resource, trace, logs, collector services) that
 * rootgraph decodes, as a protobufjs JSON descriptor. Field numbers follow the .proto files of
 * github.com/open-telemetry/opentelemetry-proto; unknown fields (metrics, profiles, new additions)
 * are skipped by the decoder, as protobuf intends.
 */
import protobuf from 'protobufjs';
import { InputError } from '../../errors.js';

const f = (type: string, id: number, rule?: 'repeated') => (rule ? { type, id, rule } : { type, id });

const DESCRIPTOR = {
  nested: {
    AnyValue: {
      oneofs: {
        value: {
          oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'],
        },
      },
      fields: {
        stringValue: f('string', 1),
        boolValue: f('bool', 2),
        intValue: f('int64', 3),
        doubleValue: f('double', 4),
        arrayValue: f('ArrayValue', 5),
        kvlistValue: f('KeyValueList', 6),
        bytesValue: f('bytes', 7),
      },
    },
    ArrayValue: { fields: { values: f('AnyValue', 1, 'repeated') } },
    KeyValueList: { fields: { values: f('KeyValue', 1, 'repeated') } },
    KeyValue: { fields: { key: f('string', 1), value: f('AnyValue', 2) } },
    InstrumentationScope: {
      fields: {
        name: f('string', 1),
        version: f('string', 2),
        attributes: f('KeyValue', 3, 'repeated'),
        droppedAttributesCount: f('uint32', 4),
      },
    },
    Resource: { fields: { attributes: f('KeyValue', 1, 'repeated'), droppedAttributesCount: f('uint32', 2) } },
    Status: { fields: { message: f('string', 2), code: f('int32', 3) } },
    Event: {
      fields: {
        timeUnixNano: f('fixed64', 1),
        name: f('string', 2),
        attributes: f('KeyValue', 3, 'repeated'),
        droppedAttributesCount: f('uint32', 4),
      },
    },
    Link: {
      fields: {
        traceId: f('bytes', 1),
        spanId: f('bytes', 2),
        traceState: f('string', 3),
        attributes: f('KeyValue', 4, 'repeated'),
        droppedAttributesCount: f('uint32', 5),
        flags: f('fixed32', 6),
      },
    },
    Span: {
      fields: {
        traceId: f('bytes', 1),
        spanId: f('bytes', 2),
        traceState: f('string', 3),
        parentSpanId: f('bytes', 4),
        flags: f('fixed32', 16),
        name: f('string', 5),
        kind: f('int32', 6),
        startTimeUnixNano: f('fixed64', 7),
        endTimeUnixNano: f('fixed64', 8),
        attributes: f('KeyValue', 9, 'repeated'),
        droppedAttributesCount: f('uint32', 10),
        events: f('Event', 11, 'repeated'),
        droppedEventsCount: f('uint32', 12),
        links: f('Link', 13, 'repeated'),
        droppedLinksCount: f('uint32', 14),
        status: f('Status', 15),
      },
    },
    ScopeSpans: {
      fields: { scope: f('InstrumentationScope', 1), spans: f('Span', 2, 'repeated'), schemaUrl: f('string', 3) },
    },
    ResourceSpans: {
      fields: { resource: f('Resource', 1), scopeSpans: f('ScopeSpans', 2, 'repeated'), schemaUrl: f('string', 3) },
    },
    ExportTraceServiceRequest: { fields: { resourceSpans: f('ResourceSpans', 1, 'repeated') } },
    ExportTracePartialSuccess: { fields: { rejectedSpans: f('int64', 1), errorMessage: f('string', 2) } },
    ExportTraceServiceResponse: { fields: { partialSuccess: f('ExportTracePartialSuccess', 1) } },
    LogRecord: {
      fields: {
        timeUnixNano: f('fixed64', 1),
        observedTimeUnixNano: f('fixed64', 11),
        severityNumber: f('int32', 2),
        severityText: f('string', 3),
        body: f('AnyValue', 5),
        attributes: f('KeyValue', 6, 'repeated'),
        droppedAttributesCount: f('uint32', 7),
        flags: f('fixed32', 8),
        traceId: f('bytes', 9),
        spanId: f('bytes', 10),
        eventName: f('string', 12),
      },
    },
    ScopeLogs: {
      fields: {
        scope: f('InstrumentationScope', 1),
        logRecords: f('LogRecord', 2, 'repeated'),
        schemaUrl: f('string', 3),
      },
    },
    ResourceLogs: {
      fields: { resource: f('Resource', 1), scopeLogs: f('ScopeLogs', 2, 'repeated'), schemaUrl: f('string', 3) },
    },
    ExportLogsServiceRequest: { fields: { resourceLogs: f('ResourceLogs', 1, 'repeated') } },
    ExportLogsPartialSuccess: { fields: { rejectedLogRecords: f('int64', 1), errorMessage: f('string', 2) } },
    ExportLogsServiceResponse: { fields: { partialSuccess: f('ExportLogsPartialSuccess', 1) } },
  },
};

const root = protobuf.Root.fromJSON(DESCRIPTOR);

/** The protobufjs type of one OTLP message, e.g. `ExportTraceServiceRequest`. */
export const otlpType = (name: keyof typeof DESCRIPTOR.nested): protobuf.Type => root.lookupType(name);

/**
 * Decodes an OTLP protobuf request into the OTLP JSON shape (lowerCamelCase fields, 64-bit integers
 * as decimal strings, bytes as base64 — the JSON parsers accept base64 ids as well as hex), so
 * one parser serves both encodings. Throws InputError when the bytes are not that message.
 */
export function decodeOtlpProtobuf(kind: 'traces' | 'logs', body: Uint8Array): unknown {
  const type = otlpType(kind === 'traces' ? 'ExportTraceServiceRequest' : 'ExportLogsServiceRequest');
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
export function encodeOtlpResponse(kind: 'traces' | 'logs', rejected: number, message: string): Uint8Array {
  if (rejected === 0) return new Uint8Array(0);
  const type = otlpType(kind === 'traces' ? 'ExportTraceServiceResponse' : 'ExportLogsServiceResponse');
  const partialSuccess =
    kind === 'traces'
      ? { rejectedSpans: rejected, errorMessage: message }
      : { rejectedLogRecords: rejected, errorMessage: message };
  return type.encode(type.fromObject({ partialSuccess })).finish();
}
