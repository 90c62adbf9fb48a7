/**
 * Callees their callers' traces call less: the (caller entity → callee entity) pairs whose call-pattern
 * share fell (call-pattern.ts). A caller that skips calls (an early or wrong return, a branch not
 * taken) leaves its callees less work, so their CPU, bytes and requests fall with nothing wrong in
 * them: the trace twin of call-volume.ts, which reads the same from request metrics. Pure.
 */
import type { CallPatternShift } from './call-pattern.js';
import type { SpanIndex } from './span-index.js';

/** One caller that calls a callee less: its most shifted falling pair into that callee. */
export interface CallDrop {
  caller: string;
  callee: string;
  /** The caller's operation whose spans call the callee less. */
  operation: string;
  /** The pair's |z| (call-pattern.ts) and its share of the caller operation's spans, normal and window. */
  z: number;
  normal: number;
  window: number;
}

/**
 * The falling pairs, one per (caller, callee) entity pair (its largest z). A child operation of the
 * caller's own entity is a client span: its callee is the entity its spans call (`spanCallee`, ≥ 0 for a
 * client span with one callee); a child of another entity is that entity's.
 */
export function callDrops(
  ix: SpanIndex,
  patterns: CallPatternShift,
  wire: Uint8Array,
  spanCallee: Int32Array,
): CallDrop[] {
  const opCallee = clientOperationCallees(ix, wire, spanCallee);
  const best = new Map<string, CallDrop>();
  for (const p of patterns.pairs) {
    if (!(p.z > 0) || p.window >= p.normal) continue;
    const from = ix.operationEntity[p.operation];
    const to = ix.operationEntity[p.child] !== from ? ix.operationEntity[p.child] : opCallee[p.child];
    if (to < 0 || to === from) continue;
    const caller = ix.entityNames[from],
      callee = ix.entityNames[to];
    const key = `${caller}\u0000${callee}`;
    const had = best.get(key);
    if (!had || p.z > had.z)
      best.set(key, {
        caller,
        callee,
        operation: ix.operationNames[p.operation],
        z: p.z,
        normal: p.normal,
        window: p.window,
      });
  }
  return [...best.values()];
}

/** Per operation: the one entity its client spans call, or −1 (not a client operation, or several callees). */
function clientOperationCallees(ix: SpanIndex, wire: Uint8Array, spanCallee: Int32Array): Int32Array {
  const UNSET = -2;
  const out = new Int32Array(ix.operationNames.length).fill(UNSET);
  for (let i = 0; i < ix.size; i++) {
    if (!wire[i]) continue;
    const op = ix.operation[i],
      to = spanCallee[ix.canonical[i]];
    out[op] = out[op] === UNSET || out[op] === to ? to : -1;
  }
  for (let op = 0; op < out.length; op++) if (out[op] === UNSET) out[op] = -1;
  return out;
}
