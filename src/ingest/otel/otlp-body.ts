/**
 * An OTLP request body as it was received: what the intake journals for spans and log lines. Keeping
 * the bytes is a copy; keeping the parsed records would cost an encode per request (most of the
 * durable path's time). The request and its recovery parse it with the same functions below and the
 * same receive time, so a re-applied request gives the records its answer was about.
 */
import { parseOtlpTracesProtobuf } from './decode-otlp-traces.js';
import { decodeOtlpProtobuf } from './otlp-proto.js';
import { parseOtlpLogs, type ParsedLogs } from './parse-otlp-logs.js';
import { parseOtlpTraces } from './parse-otlp-traces.js';
import type { ParsedSpans } from './span-record.js';

export interface OtlpBody {
  encoding: 'protobuf' | 'json';
  /** Protobuf bytes, or JSON text (already checked for nesting depth when it was received). */
  body: Uint8Array | string;
  /** The receive time the records were checked against (future/past skew). */
  nowMs: number;
}

/** What the parsers take: protobuf bytes as they are, JSON as its value. */
export type OtlpPayload = { encoding: 'protobuf'; bytes: Uint8Array } | { encoding: 'json'; value: unknown };

/** A journaled body as the parsers take it. */
export const payloadOf = (b: OtlpBody): OtlpPayload =>
  b.encoding === 'protobuf'
    ? { encoding: 'protobuf', bytes: b.body as Uint8Array }
    : { encoding: 'json', value: JSON.parse(b.body as string) };

/** Spans of an ExportTraceServiceRequest (protobuf read straight into records). */
export const parseSpansPayload = (p: OtlpPayload, nowMs: number): ParsedSpans =>
  p.encoding === 'protobuf' ? parseOtlpTracesProtobuf(p.bytes, { nowMs }) : parseOtlpTraces(p.value, { nowMs });

/** Log records of an ExportLogsServiceRequest. */
export const parseLogsPayload = (p: OtlpPayload, nowMs: number): ParsedLogs =>
  parseOtlpLogs(p.encoding === 'protobuf' ? decodeOtlpProtobuf('logs', p.bytes) : p.value, { nowMs });
