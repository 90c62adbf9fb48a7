/** A suspect's own trace shift (src/rca/trace-shift.ts) in words, for cards, answers and console lines. Pure. */

/** What an explanation keeps of the shift: its operation (or pseudo-operation), kind and each z. */
export interface ExplainedTraceShift {
  operation: string;
  /** Its own self time and errors; wire time on its call edges; its callers' wait after its spans. */
  kind: 'own' | 'wire' | 'reply';
  latencyZ: number;
  errorZ: number;
  /** Its most shifted call pattern (absent in explanations stored before call patterns). */
  callsZ?: number;
  calls?: { child: string; normal: number; window: number; confirmed?: boolean };
}

/**
 * E.g. "errors start in GetCart (z 5.80)", "reply delay (2 callers): callers wait longer after its spans
 * end (z 48.0)", "PlaceOrder calls payment/Charge in 40% of its spans (was 100%) (z 9.10)", "PlaceOrder calls
 * payment in 75% of its spans (was 100%) (z 5.21, with payment's load falling)".
 */
export function describeTraceShift(t: ExplainedTraceShift): string {
  // A stored z may read back as NaN (JSON null).
  const z = (x: number) => (!Number.isFinite(x) ? '?' : x >= 100 ? Math.round(x).toString() : x.toPrecision(3));
  const pct = (x: number) => `${Math.round(100 * x)}%`;
  // NaN (a stored null) compares as 0 here, so it cannot hide the line.
  if (t.calls && (t.callsZ ?? 0) > Math.max(t.errorZ || 0, t.latencyZ || 0))
    return `${t.operation} calls ${t.calls.child} in ${pct(t.calls.window)} of its spans (was ${pct(t.calls.normal)}) (z ${z(t.callsZ!)}${t.calls.confirmed ? `, with ${t.calls.child}'s load falling` : ''})`;
  if (t.errorZ > t.latencyZ) return `errors start in ${t.operation} (z ${z(t.errorZ)})`;
  if (t.kind === 'reply') return `${t.operation}: callers wait longer after its spans end (z ${z(t.latencyZ)})`;
  if (t.kind === 'wire') return `${t.operation}: slower on the wire (z ${z(t.latencyZ)})`;
  return `${t.operation} took longer itself (z ${z(t.latencyZ)})`;
}
