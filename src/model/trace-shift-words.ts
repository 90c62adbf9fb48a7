/** A suspect's own trace shift (src/rca/trace-shift.ts) in words, for cards, answers and console lines. Pure. */

/** What an explanation keeps of the shift: its operation (or pseudo-operation), kind and both z. */
export interface ExplainedTraceShift {
  operation: string;
  /** Its own self time and errors; wire time on its call edges; its callers' wait after its spans. */
  kind: 'own' | 'wire' | 'reply';
  latencyZ: number;
  errorZ: number;
}

/** E.g. "errors start in GetCart (z 5.80)", "reply delay (2 callers): callers wait longer after its spans end (z 48.0)". */
export function describeTraceShift(t: ExplainedTraceShift): string {
  // A stored z may read back as NaN (JSON null).
  const z = (x: number) => (!Number.isFinite(x) ? '?' : x >= 100 ? Math.round(x).toString() : x.toPrecision(3));
  if (t.errorZ > t.latencyZ) return `errors start in ${t.operation} (z ${z(t.errorZ)})`;
  if (t.kind === 'reply') return `${t.operation}: callers wait longer after its spans end (z ${z(t.latencyZ)})`;
  if (t.kind === 'wire') return `${t.operation}: slower on the wire (z ${z(t.latencyZ)})`;
  return `${t.operation} took longer itself (z ${z(t.latencyZ)})`;
}
