/**
 * Sampled request traces drawn from the engine's state: each trace starts at an entry operation
 * (chosen by the route mix), picks a pod per service, samples self time from a log-normal scaled by
 * the pod's CPU queueing and fault effects, calls its callees in sequence with a deadline, and fails
 * when its own code fails, its pod is down, or a callee's error propagates (Dapper-style span model:
 * Sigelman et al., "Dapper, a Large-Scale Distributed Systems Tracing Infrastructure", 2010).
 * Each step draws from its own random stream, so any time window is reproducible on its own.
 */
import { keptCalls } from './faults.js';
import { createRng, hexId, type Rng } from './rng.js';
import { DEFAULTS as ENGINE, type EngineState, type PodState } from './state.js';
import { opKey } from './topology-util.js';
import type { Span, Topology, Trace } from './types.js';

/** Knobs of trace sampling. */
export const DEFAULTS = {
  selfSigma: 0.45,
  maxSpansPerTrace: 2_000,
  /** One-way time on the wire per call when client spans are on (ms, log-normal around it). */
  wireMs: 0.4,
} as const;

interface Ctx {
  topology: Topology;
  st: EngineState;
  rng: Rng;
  t: number;
  traceId: string;
  spans: Span[];
  callIdx: number[][];
  /** Emit a client span around each call (OTel style). */
  clientSpans: boolean;
}

/** Generates traces for steps in [fromStep, toStep), in time order. Deterministic in `seed`. */
export function* generateTraces(a: {
  topology: Topology;
  st: EngineState;
  seed: number;
  startMs: number;
  ratePerS: number;
  peakRps: number;
  fromStep: number;
  toStep: number;
  clientSpans?: boolean;
}): Generator<Trace> {
  const { topology, st } = a;
  const ops = topology.operations;
  const entries = ops.map((o, i) => ({ i, w: o.entryShare })).filter((e) => e.w > 0);
  const wsum = entries.reduce((x, e) => x + e.w, 0);
  const callIdx = ops.map((o) => o.calls.map((c) => st.opIndex.get(opKey(c.service, c.operation))!));
  for (let t = Math.max(0, a.fromStep); t < Math.min(st.steps, a.toStep); t++) {
    const rng = createRng(a.seed, 'traces', t);
    const expected = a.ratePerS * (st.entryRps[t] / a.peakRps) * st.stepS;
    const n = Math.max(0, Math.round(expected + Math.sqrt(expected) * rng.normal()));
    const offsets = Array.from({ length: n }, () => rng.next() * st.stepS).sort((x, y) => x - y);
    for (const off of offsets) {
      let u = rng.next() * wsum;
      let entry = entries[entries.length - 1].i;
      for (const e of entries) {
        if ((u -= e.w) <= 0) {
          entry = e.i;
          break;
        }
      }
      const ctx: Ctx = {
        topology,
        st,
        rng,
        t,
        traceId: hexId(rng, 16),
        spans: [],
        callIdx,
        clientSpans: a.clientSpans ?? false,
      };
      const startNs = Math.round((a.startMs + (t * st.stepS + off) * 1000) * 1e6);
      span(ctx, entry, '', startNs);
      yield { traceId: ctx.traceId, spans: ctx.spans };
    }
  }
}

/**
 * Emits the span of operation `i` and its children; returns its duration (ns), whether it failed, and
 * the delay its pod's network adds to its response (outside the span).
 */
function span(
  ctx: Ctx,
  i: number,
  parent: string,
  startNs: number,
): { durNs: number; failed: boolean; status?: string; netMs: number } {
  const { rng, t, st } = ctx;
  const op = ctx.topology.operations[i];
  const pods = st.podsOf.get(op.service)!;
  const pod: PodState = pods[rng.int(pods.length)];
  const fx = pod.fx;
  const spanId = hexId(rng, 8);
  const record: Span = {
    traceId: ctx.traceId,
    spanId,
    parentSpanId: parent,
    service: op.service,
    operation: op.name,
    pod: pod.pod.name,
    startNs,
    durationNs: 0,
    status: 'ok',
  };
  ctx.spans.push(record);
  if (fx && rng.next() < fx.down[t]) {
    // The pod is not listening: the connection is refused almost at once.
    record.durationNs = Math.round(2e5 + rng.next() * 8e5);
    record.status = 'error';
    record.statusMessage = 'UNAVAILABLE';
    return { durNs: record.durationNs, failed: true, status: 'UNAVAILABLE', netMs: 0 };
  }
  // A pod's network faults (netem on its egress) hold what it sends, outside its own server span: its
  // requests to its callees and its response to its caller, each delayed and sometimes stalled.
  const sent = () => {
    if (!fx) return 0;
    const stall = fx.egressSlowFrac[t] > 0 && rng.next() < fx.egressSlowFrac[t];
    return fx.selfAddMs[t] + (stall ? fx.egressSlowMs[t] * Math.exp(0.1 * rng.normal()) : 0);
  };
  let selfMs = op.selfMs * pod.selfMul[t] * Math.exp(DEFAULTS.selfSigma * rng.normal());
  if (fx && rng.next() < fx.slowFrac[t]) selfMs += fx.slowMs[t] * Math.exp(0.1 * rng.normal());
  let cursor = startNs + (selfMs * 1e6) / 2;
  let failed = false;
  let status = 'INTERNAL';
  // Drawn only under an early-return fault, so runs without one keep their random streams.
  const kept = fx && fx.earlyReturn[t] > 0 && rng.next() < fx.earlyReturn[t] ? keptCalls(op.calls.length) : Infinity;
  op.calls.forEach((c, k) => {
    if (k >= kept) return;
    for (let r = 0; r < c.count; r++) {
      if (rng.next() >= c.p || ctx.spans.length >= DEFAULTS.maxSpansPerTrace) continue;
      const requestMs = sent();
      const child = ctx.clientSpans
        ? clientCall(ctx, ctx.callIdx[i][k], spanId, pod.pod.name, op.service, Math.round(cursor), requestMs)
        : span(ctx, ctx.callIdx[i][k], spanId, Math.round(cursor + requestMs * 1e6));
      // Without client spans the call lasts, as this span sees it, our request's delay out, the callee's
      // span and its response's delay back (a client span already holds both).
      const waitedNs = ctx.clientSpans ? child.durNs : (requestMs + child.netMs) * 1e6 + child.durNs;
      const timeoutNs = ENGINE.callTimeoutMs * 1e6;
      const timedOut = waitedNs > timeoutNs;
      cursor += Math.min(waitedNs, timeoutNs) + 5e4;
      if ((child.failed || timedOut) && rng.next() < c.errorPropagation) {
        failed = true;
        status = timedOut ? 'DEADLINE_EXCEEDED' : (child.status ?? 'UNKNOWN');
      }
    }
  });
  if (rng.next() < (fx ? fx.ownErr[t] : 0) + ENGINE.baseErrorRate) {
    failed = true;
    status = 'INTERNAL';
  }
  record.durationNs = Math.max(1_000, Math.round(cursor + (selfMs * 1e6) / 2 - startNs));
  if (failed) {
    record.status = 'error';
    record.statusMessage =
      op.service === 'frontend' || op.name.startsWith('GET ') || op.name.startsWith('POST ')
        ? status === 'DEADLINE_EXCEEDED'
          ? '504'
          : '500'
        : status;
  }
  return { durNs: record.durationNs, failed, status, netMs: sent() };
}

/**
 * A call as OTel records it: the caller's client span around the callee's server span, apart by the
 * time on the wire each way, which the caller's network delay lengthens on the way out and the
 * callee's on the way back. Returns the call's duration as the caller sees it.
 */
function clientCall(
  ctx: Ctx,
  callee: number,
  parent: string,
  pod: string,
  service: string,
  startNs: number,
  callerNetMs: number,
): { durNs: number; failed: boolean; status?: string; netMs: number } {
  const { rng } = ctx;
  const record: Span = {
    traceId: ctx.traceId,
    spanId: hexId(rng, 8),
    parentSpanId: parent,
    service,
    operation: ctx.topology.operations[callee].name,
    pod,
    startNs,
    durationNs: 0,
    status: 'ok',
    kind: 'client',
  };
  ctx.spans.push(record);
  const wire = () => DEFAULTS.wireMs * Math.exp(0.3 * rng.normal()) * 1e6;
  const outNs = wire() + callerNetMs * 1e6;
  const child = span(ctx, callee, record.spanId, Math.round(startNs + outNs));
  record.durationNs = Math.round(outNs + child.durNs + wire() + child.netMs * 1e6);
  if (child.failed) {
    record.status = 'error';
    record.statusMessage = child.status;
  }
  return { durNs: record.durationNs, failed: child.failed, status: child.status, netMs: 0 };
}
