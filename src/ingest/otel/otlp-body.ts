/**
 * An OTLP request body as it was received: what the intake journals for spans and log lines. Keeping
 * the bytes is a copy; keeping the parsed records would cost an encode per request (most of the
 * durable path's time). Parsing it again gives the same records: the receive time goes with it.
 */
export interface OtlpBody {
  encoding: 'protobuf' | 'json';
  /** Protobuf bytes, or JSON text (already checked for nesting depth when it was received). */
  body: Uint8Array | string;
  /** The receive time the records were checked against (future/past skew). */
  nowMs: number;
}
