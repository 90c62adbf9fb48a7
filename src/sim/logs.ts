/**
 * Log records drawn from the engine's state: sampled normal lines proportional to traffic, fault
 * warnings in the faulty service, and error lines for failed requests: the faulty service's own
 * fault-specific errors, and in its callers the gRPC errors naming the callee that failed. Each
 * (service, step) has its own random stream, so any window is reproducible on its own.
 */
import {
  CALLER,
  NORMAL,
  NORMAL_BY_LANGUAGE,
  OWN_ERROR,
  OWN_FAULT,
  callerStatus,
  type LogTemplate,
} from './log-templates.js';
import { createRng } from './rng.js';
import { DEFAULTS as ENGINE, type EngineState } from './state.js';
import type { FaultSpec, FaultType, LogRecord, Topology } from './types.js';

/** Knobs of log generation. */
export const DEFAULTS = {
  /** Error lines per failed request, and a cap per service and step (log rate limiting). */
  errorLinesPerError: 0.3,
  maxErrorLinesPerStep: 300,
  /** Fault warnings per step in a degraded service. */
  warningsPerStep: 6,
} as const;

interface SvcLogInfo {
  name: string;
  normal: LogTemplate[];
  ops: number[];
  visits: number;
  port: number;
  callees: Array<{ service: string; op: string; opIdx: number; errorPropagation: number; ip: string; port: number }>;
}

/** Generates log records for steps in [fromStep, toStep), in time order. Deterministic in `seed`. */
export function* generateLogs(a: {
  topology: Topology;
  st: EngineState;
  faults: FaultSpec[];
  seed: number;
  startMs: number;
  logsPerRequest: number;
  fromStep: number;
  toStep: number;
}): Generator<LogRecord> {
  const { topology, st } = a;
  const infos = serviceInfos(topology, st);
  for (let t = Math.max(0, a.fromStep); t < Math.min(st.steps, a.toStep); t++) {
    const out: LogRecord[] = [];
    const stepStartMs = a.startMs + t * st.stepS * 1000;
    const activeType = activeFaults(a.faults, t * st.stepS, (t + 1) * st.stepS);
    for (const s of infos) {
      const rng = createRng(a.seed, 'logs', s.name, t);
      const pods = st.podsOf.get(s.name)!;
      const emit = (tpl: LogTemplate, extra: Partial<Parameters<LogTemplate['render']>[0]> = {}): void => {
        const pod = pods[rng.int(pods.length)];
        const op = topologyOp(topology, s, rng);
        out.push({
          timeMs: stepStartMs + rng.next() * st.stepS * 1000,
          service: s.name,
          pod: pod.pod.name,
          level: tpl.level,
          message: tpl.render({ rng, service: s.name, podIp: pod.pod.ip, port: s.port, op, ...extra }),
          templateId: tpl.id,
        });
      };
      const traffic = st.trafficRatio.get(s.name);
      const requests = st.entryRps[t] * s.visits * st.stepS * (traffic ? traffic[t] : 1);
      for (let k = poisson(rng, requests * a.logsPerRequest); k > 0; k--) emit(rng.pick(s.normal));
      let err = 0;
      for (const i of s.ops) err += (st.ops[i].visits / Math.max(s.visits, 1e-12)) * st.ops[i].err[t];
      const ownErr = Math.max(0, st.ownErr.get(s.name)![t] - ENGINE.baseErrorRate);
      const type =
        activeType.get(s.name) ??
        podFaultType(
          a.faults,
          pods.map((p) => p.pod.name),
          t * st.stepS,
          (t + 1) * st.stepS,
        );
      if (type) {
        const tpls = OWN_FAULT[type];
        const warn = tpls.filter((x) => x.level === 'WARN' || x.level === 'INFO');
        for (let k = poisson(rng, warn.length > 0 ? DEFAULTS.warningsPerStep : 0); k > 0; k--) emit(rng.pick(warn));
      }
      const nErr = Math.min(
        DEFAULTS.maxErrorLinesPerStep,
        poisson(rng, requests * Math.max(0, err - ENGINE.baseErrorRate) * DEFAULTS.errorLinesPerError),
      );
      const nBg = poisson(rng, requests * ENGINE.baseErrorRate * 0.05);
      for (let k = nBg; k > 0; k--) emit(OWN_ERROR);
      if (nErr === 0) continue;
      const ownShare = err > 0 ? Math.min(1, ownErr / err) : 0;
      const errTpls = type ? OWN_FAULT[type].filter((x) => x.level === 'ERROR' || x.level === 'FATAL') : [];
      // Blame callees in proportion to the errors they pass up (a step late, as the engine does).
      const tl = Math.max(0, t - ENGINE.propagationLagSteps);
      const blame = s.callees.map((c) => c.errorPropagation * st.ops[c.opIdx].err[tl]);
      const blameSum = blame.reduce((x, y) => x + y, 0);
      for (let k = 0; k < nErr; k++) {
        if (rng.next() < ownShare || blameSum <= 0) {
          emit(errTpls.length > 0 ? rng.pick(errTpls) : OWN_ERROR);
          continue;
        }
        let u = rng.next() * blameSum;
        let j = 0;
        while (j < blame.length - 1 && (u -= blame[j]) > 0) j++;
        const c = s.callees[j];
        const ctype = activeType.get(c.service) ?? null;
        emit(CALLER[callerStatus(ctype)], { callee: c.service, calleeOp: c.op, calleeIp: c.ip, calleePort: c.port });
      }
    }
    out.sort((x, y) => x.timeMs - y.timeMs);
    yield* out;
  }
}

function serviceInfos(topology: Topology, st: EngineState): SvcLogInfo[] {
  const ipOf = new Map<string, string>();
  for (const p of topology.pods) if (!ipOf.has(p.service)) ipOf.set(p.service, p.ip);
  const portOf = new Map(topology.services.map((s) => [s.name, s.port]));
  return topology.services.map((s) => {
    const ops: number[] = [];
    const callees: SvcLogInfo['callees'] = [];
    topology.operations.forEach((o, i) => {
      if (o.service !== s.name) return;
      ops.push(i);
      for (const c of o.calls) {
        callees.push({
          service: c.service,
          op: c.operation,
          opIdx: st.opIndex.get(`${c.service}\u0000${c.operation}`)!,
          errorPropagation: c.errorPropagation,
          ip: ipOf.get(c.service) ?? '10.0.0.1',
          port: portOf.get(c.service) ?? 8080,
        });
      }
    });
    const normal = NORMAL[s.name] ?? NORMAL_BY_LANGUAGE[s.language] ?? NORMAL_BY_LANGUAGE.generic;
    return { name: s.name, normal, ops, visits: ops.reduce((x, i) => x + st.ops[i].visits, 0), port: s.port, callees };
  });
}

function topologyOp(topology: Topology, s: SvcLogInfo, rng: ReturnType<typeof createRng>): string {
  return s.ops.length > 0 ? topology.operations[s.ops[rng.int(s.ops.length)]].name : 'request';
}

/** Service → type of a fault targeting the service (not a single pod) active in [fromS, toS). */
export function activeFaults(faults: FaultSpec[], fromS: number, toS: number): Map<string, FaultType> {
  const m = new Map<string, FaultType>();
  for (const f of faults) if (f.startS < toS && f.startS + f.durationS > fromS) m.set(f.target, f.type);
  return m;
}

function podFaultType(faults: FaultSpec[], pods: string[], fromS: number, toS: number): FaultType | null {
  for (const f of faults)
    if (pods.includes(f.target) && f.startS < toS && f.startS + f.durationS > fromS) return f.type;
  return null;
}

function poisson(rng: ReturnType<typeof createRng>, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  let k = 0;
  for (let p = Math.exp(-lambda), c = p, u = rng.next(); u > c;) {
    k++;
    p *= lambda / k;
    c += p;
  }
  return k;
}
