/**
 * OTLP protobuf trace requests straight into span records: a hand-written reader over protobufjs's
 * own `Reader` (the one the generated code uses) that walks ExportTraceServiceRequest field by field
 * as the generated decoder does, but builds no message objects, Longs or base64 strings, and
 * hex-encodes ids from the bytes. It is a fast path only: when a request holds anything it does not
 * read exactly as `parseOtlpTraces(decodeOtlpProtobuf(…))` would — a bad span, a resource that
 * follows its spans, a field that overruns its message — it gives up and that slower pair answers,
 * with its paths and reasons. So both give the same result for every input (test/ingest/otel checks
 * this on the official examples and on fuzzed bytes).
 */
import { createRequire } from 'node:module';
import type { Reader } from 'protobufjs';
import otlpRoot from 'otlp-proto-static/build/src/generated/root.js';
import { INPUT_LIMITS, timeProblem, type ReceiveOptions } from '../input-limits.js';
import { decodeOtlpProtobuf } from './otlp-proto.js';
import { cleanOperation } from './fast-json-span.js';
import { parseOtlpTraces, tooManySpans } from './parse-otlp-traces.js';
import { resourceIdentity, type ResourceIdentity } from './otlp-values.js';
import { callsOut, PEER_KEYS, spanPeer, type PeerKey } from './span-peer.js';
import type { ParsedSpans, SpanRecord } from '../../model/span-record.js';

// The protobufjs the generated code was built with (a nested copy), so its decoders accept our reader.
const generatedRequire = createRequire(
  createRequire(import.meta.url).resolve('otlp-proto-static/build/src/generated/root.js'),
);
const { Reader: ProtoReader } = generatedRequire('protobufjs/minimal') as { Reader: typeof Reader };

interface GeneratedType {
  decode(reader: Reader, length: number): object;
  toObject(message: object, opts: Record<string, unknown>): Record<string, unknown>;
}
const ResourceType = (
  otlpRoot as unknown as { opentelemetry: { proto: { resource: { v1: { Resource: GeneratedType } } } } }
).opentelemetry.proto.resource.v1.Resource;
/** The options `decodeOtlpProtobuf` converts with. */
const TO_OBJECT = { longs: String, bytes: String, enums: Number, defaults: false, arrays: false };

const STATUS_ERROR = 2;
const MAX_DEPTH = INPUT_LIMITS.maxAnyValueDepth;
const HTTP_STATUS_KEY = 'http.response.status_code';
const HTTP_STATUS_OLD_KEY = 'http.status_code';
type KnownKey = PeerKey | typeof HTTP_STATUS_KEY | typeof HTTP_STATUS_OLD_KEY;
/** The span attribute keys read, by their length in bytes (all ASCII). */
const KNOWN_KEYS_BY_LENGTH = new Map<number, Array<[KnownKey, Buffer]>>();
for (const key of [HTTP_STATUS_KEY, HTTP_STATUS_OLD_KEY, ...PEER_KEYS] as KnownKey[]) {
  const list = KNOWN_KEYS_BY_LENGTH.get(key.length) ?? [];
  list.push([key, Buffer.from(key)]);
  KNOWN_KEYS_BY_LENGTH.set(key.length, list);
}

/** Thrown (never escapes) when the fast path cannot vouch for its answer. */
const GIVE_UP = new Error('not on the fast path');
/** Thrown when the request holds more spans than the limit; surfaces as the full path's 400. */
const TOO_MANY = new Error('too many spans');

/**
 * Parses a protobuf ExportTraceServiceRequest into span records: the same result as
 * `parseOtlpTraces(decodeOtlpProtobuf('traces', body), opts)`, faster. Throws InputError when the
 * bytes are not that message, or hold more spans than INPUT_LIMITS.maxSpansPerRequest (found while
 * reading, so no more than that many are built). Pure.
 */
export function parseOtlpTracesProtobuf(body: Uint8Array, opts: ReceiveOptions = {}): ParsedSpans {
  const fast = decodeOtlpSpans(body, opts);
  return fast ? { accepted: fast, rejected: [] } : parseOtlpTraces(decodeOtlpProtobuf('traces', body), opts);
}

/** The fast path alone: every span's record when all of them are well-formed, else undefined. Exported for tests. */
export function decodeOtlpSpans(body: Uint8Array, opts: ReceiveOptions = {}): SpanRecord[] | undefined {
  const out: SpanRecord[] = [];
  try {
    const r = ProtoReader.create(body);
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag >>> 3 === 1) resourceSpans(r, r.uint32(), out, opts);
      else r.skipType(tag & 7);
    }
    return out;
  } catch (err) {
    // Past the limit with every span well-formed so far: refused without decoding the rest. When the
    // bytes cannot be counted, the full path decides (it refuses them as malformed or as too many).
    const count = err === TOO_MANY ? countSpans(body) : undefined;
    if (count !== undefined) throw tooManySpans(count);
    return undefined;
  }
}

/** Spans of a request, counted without decoding them (the count the full path gives), or undefined when malformed. */
function countSpans(body: Uint8Array): number | undefined {
  try {
    const r = ProtoReader.create(body);
    let n = 0;
    const each = (end: number, field: number, inner: (end: number) => void) => {
      while (r.pos < end) {
        const tag = r.uint32();
        if (tag >>> 3 === field && (tag & 7) === 2) inner(endOf(r, r.uint32()));
        else r.skipType(tag & 7);
      }
    };
    each(r.len, 1, (rsEnd) =>
      each(rsEnd, 2, (ssEnd) =>
        each(ssEnd, 2, (spanEnd) => {
          n++;
          r.pos = spanEnd;
        }),
      ),
    );
    return n;
  } catch {
    return undefined;
  }
}

function endOf(r: Reader, length: number): number {
  const end = r.pos + length;
  if (end > r.len) throw GIVE_UP;
  return end;
}

/** Nested messages must end where their length said (the generated decoder tolerates overruns; we give up). */
function closed(r: Reader, end: number): void {
  if (r.pos !== end) throw GIVE_UP;
}

const skipBytes = (r: Reader): void => {
  r.skip(r.uint32());
};

function resourceSpans(r: Reader, length: number, out: SpanRecord[], opts: ReceiveOptions): void {
  const end = endOf(r, length);
  let resource: object | undefined;
  let res: ResourceIdentity | undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        if (res) throw GIVE_UP; // a resource after its spans: rare, left to the full decoder
        resource = ResourceType.decode(r, r.uint32());
        break;
      case 2:
        res ??= identity(resource);
        scopeSpans(r, r.uint32(), res, out, opts);
        break;
      case 3:
        skipBytes(r);
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  closed(r, end);
  // The full parser checks the resource even when no span follows it.
  if (!res) identity(resource);
}

/** resourceIdentity over the generated decoder's own object for the resource, as the full path reads it. */
function identity(resource: object | undefined): ResourceIdentity {
  return resourceIdentity(resource === undefined ? undefined : ResourceType.toObject(resource, TO_OBJECT), 'resource');
}

function scopeSpans(r: Reader, length: number, res: ResourceIdentity, out: SpanRecord[], opts: ReceiveOptions) {
  const end = endOf(r, length);
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        scope(r, r.uint32());
        break;
      case 2:
        if (out.length >= INPUT_LIMITS.maxSpansPerRequest) throw TOO_MANY;
        out.push(span(r, r.uint32(), res, opts));
        break;
      case 3:
        skipBytes(r);
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  closed(r, end);
}

/**
 * What a span's attributes say about its HTTP status, as `attributes()` then `Number(…)` read them, and
 * the texts of its peer attributes (span-peer.ts), when it has any.
 */
interface AttributeFacts {
  current: number | undefined;
  old: number | undefined;
  /** Read peer attributes: the span's kind is a client's or producer's, or not read yet. */
  wantPeers: boolean;
  peer: Partial<Record<PeerKey, string>> | undefined;
}

function span(r: Reader, length: number, res: ResourceIdentity, opts: ReceiveOptions): SpanRecord {
  const end = endOf(r, length);
  const buf = r.buf;
  let traceId: string | null = null;
  let spanId: string | null = null;
  let parentSpanId: string | null = null;
  let name = '';
  let startHigh = -1;
  let startLow = 0;
  let endHigh = -1;
  let endLow = 0;
  let code = 0;
  let kind = 0;
  const facts: AttributeFacts = { current: undefined, old: undefined, wantPeers: true, peer: undefined };
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        traceId = id(r, 16);
        break;
      case 2:
        spanId = id(r, 8);
        break;
      case 4:
        parentSpanId = id(r, 8, true);
        break;
      case 5:
        name = r.string();
        break;
      case 7:
        endOf(r, 8);
        startLow = readUint32(buf, r.pos);
        startHigh = readUint32(buf, r.pos + 4);
        r.pos += 8;
        break;
      case 8:
        endOf(r, 8);
        endLow = readUint32(buf, r.pos);
        endHigh = readUint32(buf, r.pos + 4);
        r.pos += 8;
        break;
      case 9:
        keyValue(r, r.uint32(), 0, facts);
        break;
      case 11:
        event(r, r.uint32());
        break;
      case 13:
        link(r, r.uint32());
        break;
      case 15:
        code = status(r, r.uint32());
        break;
      case 3:
        skipBytes(r);
        break;
      case 16:
        r.skip(4);
        break;
      case 6:
        kind = r.int32();
        // Encoders write the kind (field 6) before the attributes (field 9): a server span's are not read for peers.
        facts.wantPeers = kind === 0 || callsOut(kind);
        break;
      case 10:
      case 12:
      case 14:
        r.uint32();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  closed(r, end);
  if (traceId === null || spanId === null || startHigh < 0 || endHigh < 0) throw GIVE_UP;
  if (endHigh < startHigh || (endHigh === startHigh && endLow < startLow)) throw GIVE_UP;
  // Each term is exact and the sum rounds once, as Number() of the BigInt sum or difference does.
  const startNs = startHigh * 4294967296 + startLow;
  const durationNs = (endHigh - startHigh) * 4294967296 + (endLow - startLow);
  if (timeProblem(endMs(endHigh, endLow), opts)) throw GIVE_UP;
  const operation = cleanOperation(name);
  if (operation === undefined) throw GIVE_UP;
  const httpCode = facts.current ?? facts.old ?? 0;
  const record: SpanRecord = {
    service: res.service,
    namespace: res.namespace,
    pod: res.pod,
    machine: res.machine,
    traceId,
    spanId,
    parentSpanId,
    operation: operation || '(unnamed)',
    startNs,
    durationNs,
    error: code === STATUS_ERROR || httpCode >= 500,
  };
  const peers = facts.peer;
  if (peers && callsOut(kind)) {
    const peer = spanPeer(kind, (key) => peers[key]);
    if (peer !== undefined) record.peer = peer;
  }
  return record;
}

/** ⌊(high·2³² + low) / 10⁶⌋ exactly: 2³² = 4294·10⁶ + 967296, and every intermediate stays below 2⁵³. */
function endMs(high: number, low: number): number {
  const rest = high * 967296 + low;
  return high * 4294 + (rest - (rest % 1e6)) / 1e6;
}

/** The same bytes as a Buffer (a view, no copy), for its native hex encoding. */
let lastView: { of: Uint8Array; view: Buffer } | undefined;
function asBuffer(buf: Uint8Array): Buffer {
  if (Buffer.isBuffer(buf)) return buf;
  if (lastView?.of !== buf) lastView = { of: buf, view: Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength) };
  return lastView.view;
}

function readUint32(buf: Uint8Array, pos: number): number {
  return (buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16)) + buf[pos + 3] * 16777216;
}

/** A `bytes` id of exactly `size` bytes as lower-case hex; all zeros (or, when `optional`, empty) → null. */
function id(r: Reader, size: number, optional = false): string | null {
  const length = r.uint32();
  if (optional && length === 0) return null;
  if (length !== size) throw GIVE_UP;
  const start = r.pos;
  const end = endOf(r, size);
  const buf = r.buf;
  let any = 0;
  for (let i = start; i < end; i++) any |= buf[i];
  r.pos = end;
  if (any === 0 && !optional) throw GIVE_UP;
  // One flat string from native code (a byte-by-byte concatenation allocates a string per byte).
  return any === 0 ? null : asBuffer(buf).toString('hex', start, end);
}

function status(r: Reader, length: number): number {
  const end = endOf(r, length);
  let code = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 2) skipBytes(r);
    else if (tag >>> 3 === 3) code = r.int32();
    else r.skipType(tag & 7);
  }
  closed(r, end);
  return code;
}

/**
 * One KeyValue. With `facts` (span attributes), it is checked as `attributes()` checks it — a key is
 * required, values nest at most maxAnyValueDepth deep, one value per AnyValue — and an HTTP status
 * key's value is recorded, and a peer key's text; without, it is only read past (scope, event and link
 * attributes). A peer key whose value is not a plain string gives up (the full check reads it).
 */
function keyValue(r: Reader, length: number, depth: number, facts?: AttributeFacts): void {
  const end = endOf(r, length);
  let hasKey = false;
  let which: 'current' | 'old' | undefined;
  let peerKey: KnownKey | undefined;
  let value: number | undefined = 0;
  let text: string | undefined = '';
  let valueAfterKey = false;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        // A key after a value read for an earlier key: that value went unread for this one.
        if (facts && valueAfterKey) throw GIVE_UP;
        hasKey = true;
        which = undefined;
        peerKey = undefined;
        if (facts && depth === 0) {
          const key = knownKeyAt(r);
          if (key === HTTP_STATUS_KEY) which = 'current';
          else if (key === HTTP_STATUS_OLD_KEY) which = 'old';
          else if (facts.wantPeers) peerKey = key;
        } else skipBytes(r);
        break;
      case 2: {
        // The value's number is needed only under an HTTP status key, its text under a peer key (or a key not read yet).
        const open = !hasKey && depth === 0;
        const wantText = facts !== undefined && ((open && facts.wantPeers) || peerKey !== undefined);
        value = anyValue(
          r,
          r.uint32(),
          depth,
          facts !== undefined,
          facts !== undefined && (open || which !== undefined),
          wantText,
        );
        text = wantText ? lastText : undefined;
        if (hasKey) valueAfterKey = true;
        break;
      }
      default:
        r.skipType(tag & 7);
    }
  }
  closed(r, end);
  if (!facts) return;
  if (!hasKey) throw GIVE_UP;
  if (which) {
    if (value === undefined) throw GIVE_UP;
    facts[which] = value;
  } else if (peerKey) {
    if (text === undefined) throw GIVE_UP;
    (facts.peer ??= {})[peerKey as PeerKey] = text;
  }
}

/**
 * The key read (an HTTP status or peer key) the next string field holds, consuming it; undefined for any
 * other. Keys are first told apart by length, so most attributes cost one length read.
 */
function knownKeyAt(r: Reader): KnownKey | undefined {
  const length = r.uint32();
  const end = endOf(r, length);
  const candidates = KNOWN_KEYS_BY_LENGTH.get(length);
  let found: KnownKey | undefined;
  if (candidates)
    for (const [key, bytes] of candidates) {
      let same = true;
      for (let i = 0; same && i < length; i++) same = r.buf[r.pos + i] === bytes[i];
      if (same) {
        found = key;
        break;
      }
    }
  r.pos = end;
  return found;
}

/**
 * The text of the last AnyValue read with `wantText`, as `anyValueText` gives it for a string, number or
 * boolean ('' when it held none); undefined for bytes, arrays and maps (the full check reads those).
 */
let lastText: string | undefined = '';

/**
 * One AnyValue; with `want`, returns `Number()` of the text `anyValueText` would give it, or undefined
 * when that text is not a plain number's (bytes). With `wantText`, leaves its text in `lastText` (see
 * there). `checked`: enforce the depth limit and one value per AnyValue.
 */
function anyValue(
  r: Reader,
  length: number,
  depth: number,
  checked: boolean,
  want = false,
  wantText = false,
): number | undefined {
  if (checked && depth > MAX_DEPTH) throw GIVE_UP;
  const end = endOf(r, length);
  let values = 0;
  let n: number | undefined = 0;
  let text: string | undefined = '';
  while (r.pos < end) {
    const tag = r.uint32();
    values++;
    switch (tag >>> 3) {
      case 1:
        if (want || wantText) {
          text = r.string();
          if (want) n = Number(text);
        } else skipBytes(r);
        break;
      case 2: {
        const b = r.bool();
        if (wantText) text = b ? 'true' : 'false';
        n = Number.NaN;
        break;
      }
      case 3: {
        const v = r.int64() as unknown as { toNumber(): number; toString(): string };
        n = want ? v.toNumber() : Number.NaN;
        if (wantText) text = v.toString();
        break;
      }
      case 4:
        n = r.double();
        if (wantText) text = String(n);
        break;
      case 5:
        list(r, r.uint32(), depth + 1, checked, false);
        n = Number.NaN;
        text = undefined;
        break;
      case 6:
        list(r, r.uint32(), depth + 1, checked, true);
        n = Number.NaN;
        text = undefined;
        break;
      case 7:
        skipBytes(r);
        n = undefined;
        text = undefined;
        break;
      default:
        values--;
        r.skipType(tag & 7);
    }
  }
  closed(r, end);
  if (checked && values > 1) throw GIVE_UP;
  if (wantText) lastText = text;
  return n;
}

const NO_FACTS: AttributeFacts = { current: undefined, old: undefined, wantPeers: false, peer: undefined };

/** ArrayValue (AnyValues) or KeyValueList (KeyValues): field 1 repeated. */
function list(r: Reader, length: number, depth: number, checked: boolean, keyValues: boolean): void {
  const end = endOf(r, length);
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 !== 1) r.skipType(tag & 7);
    else if (keyValues) keyValue(r, r.uint32(), depth, checked ? NO_FACTS : undefined);
    else anyValue(r, r.uint32(), depth, checked);
  }
  closed(r, end);
}

function scope(r: Reader, length: number): void {
  const end = endOf(r, length);
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 1 || field === 2) skipBytes(r);
    else if (field === 3) keyValue(r, r.uint32(), 0);
    else if (field === 4) r.uint32();
    else r.skipType(tag & 7);
  }
  closed(r, end);
}

function event(r: Reader, length: number): void {
  const end = endOf(r, length);
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 1) r.skip(8);
    else if (field === 2) skipBytes(r);
    else if (field === 3) keyValue(r, r.uint32(), 0);
    else if (field === 4) r.uint32();
    else r.skipType(tag & 7);
  }
  closed(r, end);
}

function link(r: Reader, length: number): void {
  const end = endOf(r, length);
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 1 || field === 2 || field === 3) skipBytes(r);
    else if (field === 4) keyValue(r, r.uint32(), 0);
    else if (field === 5) r.uint32();
    else if (field === 6) r.skip(4);
    else r.skipType(tag & 7);
  }
  closed(r, end);
}
