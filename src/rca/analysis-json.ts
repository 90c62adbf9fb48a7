/**
 * A case analysis (analyse-case.ts) as JSON text and back, so the evidence a card was ranked on can be
 * kept with its incident and feedback later reweights on exactly that evidence, not on whatever the
 * span buffer and metric store still hold by then. Typed arrays, Maps, non-finite numbers and −0, which
 * plain JSON drops or mangles, are tagged, so numbers round-trip exactly; a Set or Date (CaseAnalysis
 * holds none) would throw rather than come back changed. Pure.
 */
import { InputError } from '../errors.js';
import type { CaseAnalysis } from './analyse-case.js';

/** Bumped when CaseAnalysis changes shape: an older stored analysis is then not read (re-analyse instead). */
// 2: trace shifts carry their kind, and reply edges. Call patterns (callsZ, calls) did not bump it: a shift
// stored without them reads as none, and its stored entity scores are what the card showed.
export const ANALYSIS_FORMAT = 2;

const TAG = '$rg';
type Tagged =
  | { [TAG]: 'f64' | 'i32' | 'u8'; v: number[] }
  | { [TAG]: 'map'; v: Array<[unknown, unknown]> }
  | { [TAG]: 'num'; v: 'NaN' | 'Infinity' | '-Infinity' | '-0' };

const TYPED = { f64: Float64Array, i32: Int32Array, u8: Uint8Array } as const;

function tag(value: unknown): unknown {
  if (typeof value === 'number')
    return Number.isFinite(value) && !Object.is(value, -0)
      ? value
      : { [TAG]: 'num', v: Object.is(value, -0) ? '-0' : String(value) };
  if (value instanceof Float64Array) return { [TAG]: 'f64', v: Array.from(value, finiteOrTag) };
  if (value instanceof Int32Array) return { [TAG]: 'i32', v: Array.from(value) };
  if (value instanceof Uint8Array) return { [TAG]: 'u8', v: Array.from(value) };
  if (value instanceof Map) return { [TAG]: 'map', v: [...value.entries()] };
  if (value instanceof Set || value instanceof Date || ArrayBuffer.isView(value))
    throw new Error(`analysis-json: no tag for ${value.constructor.name}`);
  return value;
}

const finiteOrTag = (x: number): number => tag(x) as number;

/** The analysis as one JSON string (format ANALYSIS_FORMAT). */
export function analysisToJson(analysis: CaseAnalysis): string {
  // `this[key]` is the value before its toJSON (a Date would otherwise arrive as a string).
  return JSON.stringify({ format: ANALYSIS_FORMAT, analysis }, function (this: Record<string, unknown>, key, value) {
    return tag(this[key] instanceof Date ? this[key] : value);
  });
}

function untag(where: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !(TAG in value)) return value;
  const t = value as Tagged;
  switch (t[TAG]) {
    case 'num':
      return Number(t.v);
    case 'map':
      return new Map(t.v);
    case 'f64':
    case 'i32':
    case 'u8':
      return TYPED[t[TAG]].from(t.v);
    default:
      throw new InputError(where, `unknown tag ${JSON.stringify((t as Record<string, unknown>)[TAG])}`);
  }
}

/**
 * Reads what analysisToJson wrote. Undefined for another format (the caller re-analyses); InputError,
 * naming `where`, for text that is not a stored analysis at all.
 */
export function analysisFromJson(text: string, where: string): CaseAnalysis | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => untag(where, value));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(where, `not JSON (${(e as Error).message})`);
  }
  const doc = parsed as { format?: unknown; analysis?: Partial<CaseAnalysis> } | null;
  if (!doc || typeof doc !== 'object') throw new InputError(where, 'not a stored analysis');
  if (doc.format !== ANALYSIS_FORMAT) return undefined;
  const a = doc.analysis;
  const nodes = a?.graph?.nodes;
  if (!a || !Array.isArray(nodes) || !Array.isArray(a.types) || !(a.z instanceof Float64Array))
    throw new InputError(where, 'analysis lacks its graph nodes, metric types or z');
  if (a.z.length !== nodes.length * a.types.length)
    throw new InputError(
      where,
      `z holds ${a.z.length} values, expected nodes × types = ${nodes.length * a.types.length}`,
    );
  return a as CaseAnalysis;
}
