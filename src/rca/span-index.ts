/**
 * A span table with its strings interned once, for the trace algorithms' hot loops (trace-shift.ts,
 * microrank.ts): entities, operations (entity and operation name) and traces become dense integer ids
 * in order of first appearance, a span's parent becomes an index, and durations, starts and failure
 * flags sit in typed arrays. A span id is resolved within its trace; when a trace repeats a span id,
 * the last span with it stands for that id (as a string-keyed map of the spans would have it). Parent
 * links that loop (an export bug: no call is its own ancestor) are cut at the loop's earliest span, which
 * becomes a root, so every walk up the ancestors ends. Pure.
 */
import type { CaseSpan } from '../cases/types.js';
import { isErrorStatus, isErrorStatusFor } from '../model/span-status.js';

/** Spans as parallel typed arrays; span `i` is the input's `spans[i]`. */
export interface SpanIndex {
  size: number;
  /** Entity id → name. */
  entityNames: string[];
  /** Operation id → its entity id; operations are (entity, operation name) pairs. */
  operationEntity: Int32Array;
  /** Operation id → operation name. */
  operationNames: string[];
  traceCount: number;
  entity: Int32Array;
  operation: Int32Array;
  trace: Int32Array;
  /** The span that stands for this span's (trace, span id): itself unless a later span repeats the id. */
  canonical: Int32Array;
  /** The span standing for the parent's (trace, span id); −1 for a root or a parent not among the spans. */
  parent: Int32Array;
  startNs: Float64Array;
  durationNs: Float64Array;
  /** 1 when the status fails the call (isErrorStatus). */
  failed: Uint8Array;
  /** 1 when the status fails the call as its caller sees it (client side: a 4xx, any gRPC code but OK). */
  failedAsCall: Uint8Array;
  /** Span indices grouped by trace id, ascending within a trace: trace t's are traceStart[t] .. traceStart[t+1]. */
  byTrace: Int32Array;
  traceStart: Int32Array;
  /** Parent links cut because they looped (each loop's earliest span made a root); 0 in a sound export. */
  loopsCut: number;
  /**
   * Spans after their trace's first that name a parent not among the spans (read as roots): a caller
   * inside the system wrote no span here.
   */
  parentsMissing: number;
}

/**
 * A child ends this much (ns) after its parent before the parent counts as having given up on it: clocks
 * of two hosts disagree by up to a millisecond or so, and a service that throws right after a call returns
 * must stay the error's origin. Set before any run, not fitted.
 */
export const OUTLIVE_SKEW_NS = 1e6;

/**
 * True when span `p` stopped waiting for its child `c`: the child started while `p` ran and ended after
 * it (both beyond clock skew). A child that starts once its parent has ended (a message consumed later,
 * a follows-from span), or within clock skew of that end, was never awaited.
 */
export function gaveUpOn(ix: SpanIndex, p: number, c: number): boolean {
  const parentEnd = ix.startNs[p] + ix.durationNs[p];
  return ix.startNs[c] < parentEnd - OUTLIVE_SKEW_NS && ix.startNs[c] + ix.durationNs[c] > parentEnd + OUTLIVE_SKEW_NS;
}

/** Interns `spans` into a SpanIndex, O(spans). */
export function indexSpans(spans: readonly CaseSpan[]): SpanIndex {
  const size = spans.length;
  const ix: SpanIndex = {
    size,
    entityNames: [],
    operationEntity: new Int32Array(0),
    operationNames: [],
    traceCount: 0,
    entity: new Int32Array(size),
    operation: new Int32Array(size),
    trace: new Int32Array(size),
    canonical: new Int32Array(size),
    parent: new Int32Array(size),
    startNs: new Float64Array(size),
    durationNs: new Float64Array(size),
    failed: new Uint8Array(size),
    failedAsCall: new Uint8Array(size),
    byTrace: new Int32Array(size),
    traceStart: new Int32Array(1),
    loopsCut: 0,
    parentsMissing: 0,
  };
  internColumns(spans, ix);
  groupByTrace(ix);
  resolveParents(spans, ix);
  cutParentLoops(ix);
  return ix;
}

/** `spans` as a SpanIndex: an index is returned as is, an array is indexed. */
export function toSpanIndex(spans: readonly CaseSpan[] | SpanIndex): SpanIndex {
  return 'canonical' in spans ? spans : indexSpans(spans);
}

function internColumns(spans: readonly CaseSpan[], ix: SpanIndex): void {
  const entityIds = new Map<string, number>();
  const operationIds: Array<Map<string, number>> = [];
  const operationEntity: number[] = [];
  const traceIds = new Map<string, number>();
  // isErrorStatus parses the text; a trace file holds a handful of distinct statuses.
  const failedByStatus = new Map<string, [boolean, boolean]>();
  // Exports list a trace's spans together, and often a service's: most spans repeat the previous one's strings.
  let last: CaseSpan | null = null;
  let e = -1,
    op = -1,
    t = -1,
    failed = false,
    failedAsCall = false;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    if (last === null || s.entity !== last.entity || s.operation !== last.operation) {
      let entityId = entityIds.get(s.entity);
      if (entityId === undefined) {
        entityId = ix.entityNames.push(s.entity) - 1;
        entityIds.set(s.entity, entityId);
        operationIds.push(new Map());
      }
      e = entityId;
      let opId = operationIds[e].get(s.operation);
      if (opId === undefined) {
        opId = ix.operationNames.push(s.operation) - 1;
        operationIds[e].set(s.operation, opId);
        operationEntity.push(e);
      }
      op = opId;
    }
    if (last === null || s.traceId !== last.traceId) {
      let traceId = traceIds.get(s.traceId);
      if (traceId === undefined) traceIds.set(s.traceId, (traceId = traceIds.size));
      t = traceId;
    }
    if (last === null || s.status !== last.status) {
      let f = failedByStatus.get(s.status);
      if (f === undefined)
        failedByStatus.set(s.status, (f = [isErrorStatus(s.status), isErrorStatusFor(s.status, 'client')]));
      [failed, failedAsCall] = f;
    }
    last = s;
    ix.entity[i] = e;
    ix.operation[i] = op;
    ix.trace[i] = t;
    ix.startNs[i] = s.startNs;
    ix.durationNs[i] = s.durationNs;
    ix.failed[i] = failed ? 1 : 0;
    ix.failedAsCall[i] = failedAsCall ? 1 : 0;
  }
  ix.operationEntity = Int32Array.from(operationEntity);
  ix.traceCount = traceIds.size;
}

// Counting sort of the spans by trace id; stable, so a trace's spans keep their input order.
function groupByTrace(ix: SpanIndex): void {
  const start = new Int32Array(ix.traceCount + 1);
  for (let i = 0; i < ix.size; i++) start[ix.trace[i] + 1]++;
  for (let t = 0; t < ix.traceCount; t++) start[t + 1] += start[t];
  const fill = start.slice(0, ix.traceCount);
  for (let i = 0; i < ix.size; i++) ix.byTrace[fill[ix.trace[i]]++] = i;
  ix.traceStart = start;
}

function resolveParents(spans: readonly CaseSpan[], ix: SpanIndex): void {
  const { byTrace, traceStart } = ix;
  const bySpanId = new Map<string, number>();
  for (let t = 0; t < ix.traceCount; t++) {
    bySpanId.clear();
    const from = traceStart[t],
      to = traceStart[t + 1];
    // Later spans overwrite earlier ones: the last span with an id stands for it.
    let earliest = byTrace[from];
    for (let k = from; k < to; k++) {
      bySpanId.set(spans[byTrace[k]].spanId, byTrace[k]);
      if (ix.startNs[byTrace[k]] < ix.startNs[earliest]) earliest = byTrace[k];
    }
    for (let k = from; k < to; k++) {
      const i = byTrace[k];
      const parentId = spans[i].parentSpanId;
      ix.canonical[i] = bySpanId.get(spans[i].spanId) as number;
      const parent = parentId === null ? -1 : (bySpanId.get(parentId) ?? -2);
      // A trace's first span may answer a client outside the system (a load generator): not a gap.
      if (parent === -2 && i !== earliest) ix.parentsMissing++;
      ix.parent[i] = Math.max(parent, -1);
    }
  }
}

/**
 * Cuts every loop of parent links at its earliest-starting span (the likeliest root), in place, O(spans):
 * each span is walked up once; a walk that meets a span of its own path has found a loop.
 */
function cutParentLoops(ix: SpanIndex): void {
  const { size, parent, startNs } = ix;
  // 0 = not seen, else the walk (1-based) that reached the span; `done` once its ancestors are known to end.
  const walk = new Int32Array(size);
  const done = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    if (done[i]) continue;
    let a = i;
    for (; a >= 0 && !done[a] && walk[a] !== i + 1; a = parent[a]) walk[a] = i + 1;
    if (a >= 0 && !done[a]) {
      // `a` is on this walk's path again: the loop is a, parent[a], … back to a.
      let first = a;
      for (let b = parent[a]; b !== a; b = parent[b]) if (startNs[b] < startNs[first]) first = b;
      parent[first] = -1;
      ix.loopsCut++;
    }
    for (let b = i; b >= 0 && !done[b]; b = parent[b]) done[b] = 1;
  }
}
