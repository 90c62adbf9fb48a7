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
import type { ParsedSpans } from '../../model/span-record.js';
import type { ReceiveOptions } from '../input-limits.js';

/**
 * A kept request: its bytes, and the receive time and skew bounds its records were checked against
 * (bounds absent in journals written before they were kept: INPUT_LIMITS' then apply).
 */
export interface OtlpBody extends ReceiveOptions {
  encoding: 'protobuf' | 'json';
  /** Protobuf bytes, or JSON text (already checked for nesting depth when it was received). */
  body: Uint8Array | string;
  nowMs: number;
}

/** What the parsers take: protobuf bytes as they are, JSON as its value. */
export type OtlpPayload = { encoding: 'protobuf'; bytes: Uint8Array } | { encoding: 'json'; value: unknown };

/** A journaled body as the parsers take it. */
export const payloadOf = (b: OtlpBody): OtlpPayload =>
  b.encoding === 'protobuf'
    ? { encoding: 'protobuf', bytes: b.body as Uint8Array }
    : { encoding: 'json', value: JSON.parse(b.body as string) };

/** The receive time and bounds of a request or a kept body, alone (not the body itself). */
const clockOf = ({ nowMs, maxFutureMs, maxPastMs }: ReceiveOptions): ReceiveOptions => ({
  nowMs,
  maxFutureMs,
  maxPastMs,
});

/** Spans of an ExportTraceServiceRequest (protobuf read straight into records), checked against `clock`. */
export const parseSpansPayload = (p: OtlpPayload, clock: ReceiveOptions): ParsedSpans =>
  p.encoding === 'protobuf'
    ? parseOtlpTracesProtobuf(p.bytes, clockOf(clock))
    : parseOtlpTraces(p.value, clockOf(clock));

/** Log records of an ExportLogsServiceRequest, checked against `clock`. */
export const parseLogsPayload = (p: OtlpPayload, clock: ReceiveOptions): ParsedLogs =>
  parseOtlpLogs(p.encoding === 'protobuf' ? decodeOtlpProtobuf('logs', p.bytes) : p.value, clockOf(clock));
