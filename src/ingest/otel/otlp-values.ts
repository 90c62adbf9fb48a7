/** Reading OTLP JSON values: ids, 64-bit nanosecond times, attributes, resources. Pure helpers that throw InputError. */
import { InputError } from '../../errors.js';
import { cleanName, INPUT_LIMITS, nameProblem } from '../input-limits.js';
import type { ResourceIdentity } from '../../model/span-record.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `expected a list`-style errors at a path. */
export function fail(where: string, what: string): never {
  throw new InputError(where, what);
}

/** An optional list: absent → []. */
export function list(v: unknown, where: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(where, 'expected a list');
  return v;
}

/** A list, or [] for anything else: for counting a request's items before they are checked. */
export const arrayOr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const HEX = /^[0-9a-fA-F]*$/;
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A trace or span id as lower-case hex. OTLP JSON says hex; protobuf decoded by us (and some older
 * senders) give base64, so both are accepted by length. Empty/absent → null; all zeros → null.
 */
export function otlpId(v: unknown, bytes: 8 | 16, where: string): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') fail(where, `expected a hex string, got ${typeof v}`);
  let hex: string;
  if (v.length === bytes * 2 && HEX.test(v)) hex = v.toLowerCase();
  else if (B64.test(v) && Buffer.from(v, 'base64').length === bytes) hex = Buffer.from(v, 'base64').toString('hex');
  else fail(where, `expected ${bytes * 2} hex digits, got ${JSON.stringify(v.slice(0, 40))}`);
  return /^0+$/.test(hex) ? null : hex;
}

/** A fixed64 nanosecond time: a decimal string (OTLP JSON) or a safe number. Returns a bigint. */
export function nanos(v: unknown, where: string): bigint {
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  return fail(where, v === undefined ? 'required, expected nanoseconds since epoch' : 'not a number');
}

/** An AnyValue as text (bodies and attribute values); arrays and maps as JSON, at most INPUT_LIMITS.maxAnyValueDepth deep. */
export function anyValueText(v: unknown, where: string, depth = 0): string {
  if (!isObj(v)) fail(where, 'expected an AnyValue object');
  if (depth > INPUT_LIMITS.maxAnyValueDepth) fail(where, `nested deeper than ${INPUT_LIMITS.maxAnyValueDepth} levels`);
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.bytesValue !== undefined) return String(v.bytesValue);
  if (isObj(v.arrayValue))
    return JSON.stringify(
      list(v.arrayValue.values, `${where}.arrayValue.values`).map((x, i) =>
        anyValueText(x, `${where}.arrayValue.values[${i}]`, depth + 1),
      ),
    );
  if (isObj(v.kvlistValue))
    return JSON.stringify(attributes(v.kvlistValue.values, `${where}.kvlistValue.values`, depth + 1));
  return '';
}

/** A KeyValue list as a plain map of texts. */
export function attributes(v: unknown, where: string, depth = 0): Record<string, string> {
  // No prototype: a `__proto__` attribute is an ordinary key.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  list(v, where).forEach((kv, i) => {
    if (!isObj(kv) || typeof kv.key !== 'string') fail(`${where}[${i}].key`, 'expected a string');
    out[kv.key] =
      kv.value === undefined || kv.value === null ? '' : anyValueText(kv.value, `${where}[${i}].value`, depth);
  });
  return out;
}

/** Where telemetry comes from, per the resource semantic conventions. */
export type { ResourceIdentity };

/** service.name (OTel's `unknown_service` when absent), k8s.namespace.name (or service.namespace), k8s.pod.name, k8s.node.name. */
export function resourceIdentity(resource: unknown, where: string): ResourceIdentity {
  if (resource !== undefined && resource !== null && !isObj(resource)) fail(where, 'expected an object');
  const a = attributes(isObj(resource) ? resource.attributes : undefined, `${where}.attributes`);
  const name = (key: string, v: string | undefined): string | undefined => {
    if (!v) return undefined;
    const clean = cleanName(v);
    const problem = nameProblem(clean);
    if (problem) fail(`${where}.attributes.${key}`, problem);
    return clean || undefined;
  };
  return {
    service: name('service.name', a['service.name']) ?? 'unknown_service',
    namespace: name('k8s.namespace.name', a['k8s.namespace.name'] || a['service.namespace']) ?? 'default',
    pod: name('k8s.pod.name', a['k8s.pod.name']) ?? null,
    machine: name('k8s.node.name', a['k8s.node.name'] || a['host.name']) ?? null,
  };
}
