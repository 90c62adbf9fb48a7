/**
 * Spans standing in for callees that write none of their own (src/ingest/otel/span-peer.ts names them):
 * under each client or producer span that names a peer and has no child span among `spans`, a span of
 * the peer with the call's operation, time and status. The trace aggregator then draws the call edge
 * to the database, and the trace evidence finds a slow or failing database in the database: a client
 * span with no child is otherwise its caller's own time. Pure.
 */
import { serviceOfPeer } from './kubernetes-dns.js';
import type { SpanRecord } from './span-record.js';

/**
 * The stand-ins for `spans`' peers (one trace, or any set of spans: a span counts as childless when no
 * span of its trace in the set names it as parent). A peer that is not `<namespace>/<service>` is a
 * service of that name in its caller's namespace.
 */
export function peerStandIns(spans: Iterable<SpanRecord>): SpanRecord[] {
  const callers: SpanRecord[] = [];
  const parents = new Set<string>();
  for (const s of spans) {
    if (s.peer !== undefined) callers.push(s);
    if (s.parentSpanId !== null) parents.add(`${s.traceId}\u0000${s.parentSpanId}`);
  }
  const out: SpanRecord[] = [];
  for (const s of callers) {
    if (parents.has(`${s.traceId}\u0000${s.spanId}`)) continue;
    const named = serviceOfPeer(s.peer!);
    out.push({
      service: named ? named.service : s.peer!,
      namespace: named ? named.namespace : s.namespace,
      pod: null,
      machine: null,
      traceId: s.traceId,
      spanId: `${s.spanId}:peer`,
      parentSpanId: s.spanId,
      operation: s.operation,
      startNs: s.startNs,
      durationNs: s.durationNs,
      error: s.error,
    });
  }
  return out;
}
