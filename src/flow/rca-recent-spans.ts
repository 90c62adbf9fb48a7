/**
 * A live incident's spans for its analysis: the span source's spans around the start, each named by the
 * candidate Service it belongs to (its uid). Spans of services outside the incident's neighbourhood are
 * kept under their own `namespace/name`, so traces stay whole (a parent's self time needs its children)
 * though those services are no candidates. A callee that writes no spans but is named by its callers'
 * client spans (a database, a cache) gets stand-in spans (peer-stand-ins.ts).
 */
import type { NodeRecord, Uid } from '../model/graph.js';
import type { SpanSource } from '../ports/span-source.js';
import type { SpanIn } from '../rca/microrank.js';
import { entityName } from './rca-entity-name.js';
import { peerStandIns } from '../model/peer-stand-ins.js';

/** Spans that started in [fromS, toS) (unix seconds), as the RCA reads them. */
export async function readRecentSpans(
  source: SpanSource,
  candidates: readonly Pick<NodeRecord, 'uid' | 'label' | 'props'>[],
  window: { fromS: number; toS: number },
): Promise<SpanIn[]> {
  const serviceUid = new Map<string, Uid>();
  for (const n of candidates) {
    if (n.label !== 'Service') continue;
    const ns = typeof n.props.namespace === 'string' && n.props.namespace ? n.props.namespace : 'default';
    serviceUid.set(`${ns}/${entityName(n)}`, n.uid);
  }
  const read = await source.spans(window.fromS * 1000, window.toS * 1000);
  return [...read, ...peerStandIns(read)].map((s) => {
    const key = `${s.namespace || 'default'}/${s.service}`;
    return {
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      entity: serviceUid.get(key) ?? key,
      operation: s.operation,
      startNs: s.startNs,
      durationNs: s.durationNs,
      status: s.error ? 'error' : 'ok',
    };
  });
}
