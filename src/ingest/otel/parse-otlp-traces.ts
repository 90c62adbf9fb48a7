import { asRejection, InputError } from '../../errors.js';
import {
  arrayOr,
  attributes,
  fail,
  isObj,
  list,
  nanos,
  otlpId,
  resourceIdentity,
  type ResourceIdentity,
} from './otlp-values.js';
import { operationTemplate } from '../../model/operation-template.js';
import type { ParsedSpans, SpanRecord } from '../../model/span-record.js';
import {
  cleanName,
  INPUT_LIMITS,
  nameProblem,
  timeProblem,
  tooManyItems,
  type ReceiveOptions,
} from '../input-limits.js';
import { fastSpan } from './fast-json-span.js';
import { spanKind, spanPeer } from './span-peer.js';

const STATUS_ERROR = 2;

/** The full check of one span: its record, or an InputError naming the field. Exported for the fast path's test. */
export function parseSpan(raw: unknown, res: ResourceIdentity, where: string, opts: ReceiveOptions): SpanRecord {
  if (!isObj(raw)) fail(where, 'expected a span object');
  const traceId =
    otlpId(raw.traceId, 16, `${where}.traceId`) ?? fail(`${where}.traceId`, 'required, must not be all zeros');
  const spanId = otlpId(raw.spanId, 8, `${where}.spanId`) ?? fail(`${where}.spanId`, 'required, must not be all zeros');
  const parentSpanId = otlpId(raw.parentSpanId, 8, `${where}.parentSpanId`);
  if (raw.name !== undefined && typeof raw.name !== 'string') fail(`${where}.name`, 'expected a string');
  const start = nanos(raw.startTimeUnixNano, `${where}.startTimeUnixNano`);
  const end = nanos(raw.endTimeUnixNano, `${where}.endTimeUnixNano`);
  if (end < start) fail(`${where}.endTimeUnixNano`, 'before startTimeUnixNano');
  const skew = timeProblem(Number(end / 1_000_000n), opts);
  if (skew) fail(`${where}.endTimeUnixNano`, skew);
  const operation = operationTemplate(cleanName((raw.name as string | undefined) ?? ''));
  const tooLong = nameProblem(operation);
  if (tooLong) fail(`${where}.name`, tooLong);
  const status = raw.status;
  if (status !== undefined && status !== null && !isObj(status)) fail(`${where}.status`, 'expected an object');
  const code = isObj(status) ? Number(status.code ?? 0) : 0;
  const attrs = attributes(raw.attributes, `${where}.attributes`);
  const http = Number(attrs['http.response.status_code'] ?? attrs['http.status_code'] ?? 0);
  const record: SpanRecord = {
    ...res,
    traceId,
    spanId,
    parentSpanId,
    operation: operation || '(unnamed)',
    startNs: Number(start),
    durationNs: Number(end - start),
    error: code === STATUS_ERROR || http >= 500,
  };
  const peer = spanPeer(spanKind(raw.kind), (key) => attrs[key]);
  if (peer !== undefined) record.peer = peer;
  return record;
}

/** Spans in a JSON export request, counted without parsing them (malformed levels count as none). */
export function countOtlpSpans(payload: Record<string, unknown>): number {
  let n = 0;
  for (const rs of arrayOr(payload.resourceSpans))
    if (isObj(rs))
      for (const ss of arrayOr(rs.scopeSpans ?? rs.instrumentationLibrarySpans))
        if (isObj(ss)) n += arrayOr(ss.spans).length;
  return n;
}

/** The 400 for a request of more spans than INPUT_LIMITS.maxSpansPerRequest. */
export const tooManySpans = (count: number) =>
  tooManyItems('spans', count, 'maxSpansPerRequest', "Lower the exporter's batch size (send_batch_max_size).");

/**
 * Validates an OTLP ExportTraceServiceRequest (JSON encoding, or protobuf decoded by
 * decodeOtlpProtobuf) into span records. A bad span is rejected with its path
 * (`resourceSpans[0].scopeSpans[2].spans[17].startTimeUnixNano: not a number`) and the others kept.
 * Throws InputError only when the envelope is not an export request, or it holds more spans than
 * INPUT_LIMITS.maxSpansPerRequest (counted before any is parsed). Pure.
 */
export function parseOtlpTraces(payload: unknown, opts: ReceiveOptions = {}): ParsedSpans {
  if (!isObj(payload))
    throw new InputError('', 'expected an OTLP ExportTraceServiceRequest (a JSON object with "resourceSpans")');
  const count = countOtlpSpans(payload);
  if (count > INPUT_LIMITS.maxSpansPerRequest) throw tooManySpans(count);
  const out: ParsedSpans = { accepted: [], rejected: [] };
  const reject = (err: unknown) => {
    out.rejected.push(asRejection(err));
  };
  list(payload.resourceSpans, 'resourceSpans').forEach((rs, i) => {
    const w = `resourceSpans[${i}]`;
    try {
      if (!isObj(rs)) fail(w, 'expected an object');
      const res = resourceIdentity(rs.resource, `${w}.resource`);
      // Older exporters (OTLP < 0.15) said instrumentationLibrarySpans.
      const scopes = list(rs.scopeSpans ?? rs.instrumentationLibrarySpans, `${w}.scopeSpans`);
      scopes.forEach((ss, j) => {
        const ws = `${w}.scopeSpans[${j}]`;
        try {
          if (!isObj(ss)) fail(ws, 'expected an object');
          list(ss.spans, `${ws}.spans`).forEach((s, k) => {
            try {
              // The common well-formed span skips building paths and attribute maps; anything else takes the full check.
              out.accepted.push(fastSpan(s, res, opts) ?? parseSpan(s, res, `${ws}.spans[${k}]`, opts));
            } catch (err) {
              reject(err);
            }
          });
        } catch (err) {
          reject(err);
        }
      });
    } catch (err) {
      reject(err);
    }
  });
  return out;
}
