/**
 * The fast path of `parseOtlpTraces` for one OTLP JSON span: hex ids, decimal-string times and plain
 * attributes, read without building error paths, attribute maps or BigInts. It answers only when the
 * span is well-formed and then returns exactly the record the full check (`span` in
 * parse-otlp-traces.ts) would; anything unusual (base64 ids, numeric times, a bad field) returns
 * undefined and the full check decides, with its paths and reasons. Pure.
 */
import { cleanName, nameProblem, timeProblem, type ReceiveOptions } from '../input-limits.js';
import { operationTemplate } from '../../model/operation-template.js';
import { anyValueText, isObj, type ResourceIdentity } from './otlp-values.js';
import { callsOut, PEER_KEYS, spanKind, spanPeer, type PeerKey } from './span-peer.js';
import type { SpanRecord } from '../../model/span-record.js';

const STATUS_ERROR = 2;
const HTTP_STATUS = 'http.response.status_code';
const HTTP_STATUS_OLD = 'http.status_code';
const PEER_KEY_SET: ReadonlySet<string> = new Set(PEER_KEYS);

/** A well-formed span as its record, or undefined when the full check must decide. */
export function fastSpan(raw: unknown, res: ResourceIdentity, opts: ReceiveOptions): SpanRecord | undefined {
  if (!isObj(raw)) return undefined;
  const traceId = hexId(raw.traceId, 32);
  const spanId = hexId(raw.spanId, 16);
  if (traceId === undefined || spanId === undefined) return undefined;
  const p = raw.parentSpanId;
  const parentSpanId = p === undefined || p === null || p === '' ? null : hexId(p, 16);
  if (parentSpanId === undefined) return undefined;
  const name = raw.name;
  if (name !== undefined && typeof name !== 'string') return undefined;
  const start = decimalNanos(raw.startTimeUnixNano);
  const end = decimalNanos(raw.endTimeUnixNano);
  if (!start || !end) return undefined;
  const durationNs = exactDifference(end, start);
  if (durationNs === undefined) return undefined;
  if (timeProblem(end.high * 1000 + Math.floor(end.low / 1e6), opts)) return undefined;
  const operation = cleanOperation(name ?? '');
  if (operation === undefined) return undefined;
  const status = raw.status;
  if (status !== undefined && status !== null && !isObj(status)) return undefined;
  const code = isObj(status) ? Number(status.code ?? 0) : 0;
  const kind = spanKind(raw.kind);
  const http = attributeFacts(raw.attributes, callsOut(kind));
  if (http === undefined) return undefined;
  const record: SpanRecord = {
    service: res.service,
    namespace: res.namespace,
    pod: res.pod,
    machine: res.machine,
    traceId,
    spanId,
    parentSpanId,
    operation: operation || '(unnamed)',
    startNs: start.value,
    durationNs,
    error: code === STATUS_ERROR || http >= 500,
  };
  const peers = lastPeerAttributes;
  if (peers) {
    const peer = spanPeer(kind, (key) => peers[key]);
    if (peer !== undefined) record.peer = peer;
  }
  return record;
}

/** `digits` lower-case hex digits, not all zero; undefined for anything else (base64, upper case, zeros). */
function hexId(v: unknown, digits: number): string | undefined {
  if (typeof v !== 'string' || v.length !== digits) return undefined;
  let nonZero = false;
  for (let i = 0; i < digits; i++) {
    const c = v.charCodeAt(i);
    if (c === 48) continue;
    if ((c > 48 && c <= 57) || (c >= 97 && c <= 102)) nonZero = true;
    else return undefined;
  }
  return nonZero ? v : undefined;
}

/** A time as `high·10⁹ + low` (both exact) and its nearest double (what `Number(BigInt(v))` gives). */
interface Nanos {
  high: number;
  low: number;
  value: number;
}

/** 1 to 20 decimal digits, as `nanos` accepts them; undefined otherwise. */
function decimalNanos(v: unknown): Nanos | undefined {
  if (typeof v !== 'string' || v.length === 0 || v.length > 20) return undefined;
  const split = v.length - 9;
  let high = 0;
  let low = 0;
  for (let i = 0; i < v.length; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    if (i < split) high = high * 10 + d;
    else low = low * 10 + d;
  }
  // String to number is correctly rounded for ≤ 20 significant digits, as BigInt to number is.
  return { high, low, value: +v };
}

/** Number(end − start) exactly as BigInt arithmetic gives it; undefined when end < start or too far apart. */
function exactDifference(end: Nanos, start: Nanos): number | undefined {
  const dh = end.high - start.high;
  if (dh < 0 || (dh === 0 && end.low < start.low)) return undefined;
  // Both terms are exact below 2^53 (a span shorter than ~104 days); their sum is rounded once.
  if (dh > 9_000_000) return undefined;
  return dh * 1e9 + (end.low - start.low);
}

const CLEAN_NAMES_PER_GENERATION = 10_000;
// Two generations: a flood of one-off names (raw URLs) retires the older one, not the names that repeat.
let cleanNames = new Map<string, string | undefined>();
let olderCleanNames = new Map<string, string | undefined>();

/**
 * cleanName, the length check and the route (operation-template.ts), remembered: operation names repeat.
 * undefined when too long.
 */
export function cleanOperation(name: string): string | undefined {
  const known = cleanNames.get(name);
  if (known !== undefined || cleanNames.has(name)) return known;
  let clean: string | undefined;
  if (olderCleanNames.has(name)) clean = olderCleanNames.get(name);
  else {
    const c = operationTemplate(cleanName(name));
    clean = nameProblem(c) ? undefined : c;
  }
  if (cleanNames.size >= CLEAN_NAMES_PER_GENERATION) {
    olderCleanNames = cleanNames;
    cleanNames = new Map();
  }
  cleanNames.set(name, clean);
  return clean;
}

/**
 * The HTTP status the attributes carry (0 when none), as `attributes()` then `Number(…)` read it;
 * undefined when an attribute is malformed or an unusual value needs the full check. The peer
 * attributes' texts (span-peer.ts), when there are any, are left in `lastPeerAttributes`.
 */
function attributeFacts(v: unknown, wantPeers: boolean): number | undefined {
  lastPeerAttributes = undefined;
  if (v === undefined || v === null) return 0;
  if (!Array.isArray(v)) return undefined;
  let current: string | undefined;
  let old: string | undefined;
  let peer: Partial<Record<PeerKey, string>> | undefined;
  for (let i = 0; i < v.length; i++) {
    const kv: unknown = v[i];
    if (!isObj(kv) || typeof kv.key !== 'string') return undefined;
    const value = kv.value;
    let text: string | undefined;
    if (value === undefined || value === null) text = '';
    else if (isObj(value) && typeof value.stringValue === 'string') text = value.stringValue;
    else {
      try {
        text = anyValueText(value, '', 0);
      } catch {
        return undefined;
      }
    }
    if (kv.key === HTTP_STATUS) current = text;
    else if (kv.key === HTTP_STATUS_OLD) old = text;
    else if (wantPeers && PEER_KEY_SET.has(kv.key)) (peer ??= {})[kv.key as PeerKey] = text;
  }
  lastPeerAttributes = peer;
  return Number(current ?? old ?? 0);
}

/** The peer attributes' texts the last attributeFacts call met (no object per span when there are none). */
let lastPeerAttributes: Partial<Record<PeerKey, string>> | undefined;
