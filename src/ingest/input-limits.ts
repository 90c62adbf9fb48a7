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
  /** How far in the future a timestamp may be (clock skew), ms. */
  maxFutureMs: 10 * 60_000,
};

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

/** Why a timestamp (ms since epoch) is refused, given the receiving clock; undefined when it is fine. */
export function timeProblem(ms: number, nowMs: number, maxFutureMs = INPUT_LIMITS.maxFutureMs): string | undefined {
  if (ms > nowMs + maxFutureMs)
    return `timestamp ${new Date(ms).toISOString()} is more than ${Math.round(maxFutureMs / 60_000)} min in the future (clock skew?)`;
  return undefined;
}
