import { InputError } from '../errors.js';

/**
 * The limits every ingest path enforces, in one place so README can list them and each refusal can
 * name the one it hit. Input past a limit gets a 4xx (whole body) or a per-item rejection, never a 500.
 */
export const INPUT_LIMITS = {
  /** Deepest nesting of arrays and objects in a JSON body (OTLP AnyValue, kubectl JSON). */
  maxJsonDepth: 64,
  /** Deepest nesting inside one OTLP AnyValue (arrays of maps of arrays …). */
  maxAnyValueDepth: 16,
  /** Longest entity name (service, pod, namespace, node, operation), in characters. */
  maxNameLength: 253,
  /** Alerts in one Alertmanager webhook. */
  maxAlertsPerRequest: 5_000,
  /** Documents in one YAML body, and objects in one kubectl List (a cluster's manifests are hundreds). */
  maxManifestDocuments: 5_000,
  /** YAML aliases resolved per document (an alias bomb expands exponentially). */
  maxYamlAliases: 100,
  /**
   * How far in the future a span, log record, metric sample or alert start may be (clock skew), ms;
   * later ones are rejected per item so they can never move a clock forward. ROOTGRAPH_MAX_FUTURE_MS.
   */
  maxFutureMs: 10 * 60_000,
  /**
   * How far in the past a span, log record or metric sample may be, ms (0: no bound, to replay old
   * data). Alert starts are exempt: Alertmanager resends a long-firing alert with its first startsAt.
   * ROOTGRAPH_MAX_PAST_MS.
   */
  maxPastMs: 7 * 86_400_000,
  /** Spans in one OTLP trace request (the Collector's batch processor sends 8,192 by default). */
  maxSpansPerRequest: 50_000,
  /** Log records in one OTLP log request. */
  maxLogRecordsPerRequest: 50_000,
  /** Data points in one OTLP metrics request. */
  maxMetricPointsPerRequest: 50_000,
  /** Series in one remote-write request or JSON push (Prometheus sends at most 2,000 samples a request by default). */
  maxSeriesPerRequest: 50_000,
  /** Samples in one remote-write request or JSON push, over all its series. */
  maxSamplesPerRequest: 500_000,
};

/** The name of a limit, as refusals and README give it. */
export type InputLimit = keyof typeof INPUT_LIMITS;

/**
 * The 400 for a request carrying more items than a limit allows: says how many, the limit's name and
 * value, and what to do (a smaller batch). Thrown before the items are parsed.
 */
export function tooManyItems(what: string, count: number, limit: InputLimit, hint: string): InputError {
  const max = INPUT_LIMITS[limit];
  return new InputError('body', `${count} ${what} in one request; at most ${max} (${limit})`, { hint });
}

// C0/C1 controls, and the bidirectional overrides and isolates that can make a name read as another.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** A name as stored and shown: control and bidi-override characters removed. Pure. */
export const cleanName = (s: string): string => s.replace(UNSAFE, '');

/** Why a name cannot be stored, or undefined when it can (after cleanName). */
export function nameProblem(name: string): string | undefined {
  if (name.length > INPUT_LIMITS.maxNameLength)
    return `name longer than ${INPUT_LIMITS.maxNameLength} characters (${name.length})`;
  return undefined;
}

/**
 * What the receiving side knows when it validates a record's time: its clock (ms since epoch; no time
 * check without it) and the skew it allows either way (INPUT_LIMITS' by default; maxPastMs 0 = no bound).
 */
export interface ReceiveOptions {
  nowMs?: number;
  maxFutureMs?: number;
  maxPastMs?: number;
}

/** `7 days`, `36 h`, `10 min`, `45 s`: a limit as an operator would write it. Pure. */
export function durationText(ms: number): string {
  for (const [unit, size] of [
    ['days', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1_000],
  ] as const)
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  return `${ms} ms`;
}

const isoOrRaw = (ms: number) =>
  Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms);

/**
 * Why a timestamp (ms since epoch) is refused given the receiving clock, naming the limit and its
 * setting; undefined when it is fine or when no clock was given. Pure.
 */
export function timeProblem(ms: number, opts: ReceiveOptions): string | undefined {
  if (opts.nowMs === undefined) return undefined;
  const future = opts.maxFutureMs ?? INPUT_LIMITS.maxFutureMs;
  if (ms > opts.nowMs + future)
    return `timestamp ${isoOrRaw(ms)} is more than ${durationText(future)} in the future (clock skew?; maxFutureMs, ROOTGRAPH_MAX_FUTURE_MS)`;
  const past = opts.maxPastMs ?? INPUT_LIMITS.maxPastMs;
  if (past > 0 && ms < opts.nowMs - past)
    return `timestamp ${isoOrRaw(ms)} is more than ${durationText(past)} in the past (maxPastMs; ROOTGRAPH_MAX_PAST_MS=off accepts old data)`;
  return undefined;
}
