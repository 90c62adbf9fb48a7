/**
 * The simulator's engine: per step, each pod's CPU, memory and own latency/error behaviour, then each
 * operation's end-to-end latency and error share, callees before callers. CPU saturation slows a pod
 * like an M/M/1 queue (latency ∝ 1/(1−ρ)); a caller's latency adds its callees', its errors take the
 * callees' errors times the call's propagation share, and calls whose callee exceeds the deadline fail
 * with DEADLINE_EXCEEDED. Callers see their callees one step late (queues build up), which is why a
 * fault shows on its own target first. Calls an early return skips are not made: their callees' traffic,
 * and the CPU it costs, fall in the same step.
 */
import { InputError } from '../errors.js';
import { applyFault, keptCalls, neutralEffects, type PodEffects } from './faults.js';
import { earlyReturnTraffic } from './early-return-traffic.js';
import { createRng } from './rng.js';
import { loadCurve, type Burst } from './seasonality.js';
import { opKey, opOrder } from './topology-util.js';
import type { FaultSpec, PodInfo, ServiceInfo, SimOptions, Topology } from './types.js';

/** Knobs of the engine. */
export const DEFAULTS = {
  callTimeoutMs: 3_000,
  propagationLagSteps: 1,
  idleCpuShare: 0.04,
  nominalRho: 0.3,
  maxRho: 0.95,
  latencyNoise: 0.06,
  cpuNoise: 0.05,
  baseErrorRate: 0.0003,
} as const;

/** Per-pod state over the steps. */
export interface PodState {
  pod: PodInfo;
  service: ServiceInfo;
  cpu: Float64Array;
  memory: Float64Array;
  /** Self-latency multiplier from CPU queueing and GC. */
  selfMul: Float64Array;
  fx: PodEffects | null;
}

/** Per-operation state over the steps (what a caller of this operation experiences). */
export interface OpState {
  /** Expected calls of this operation per external request in normal operation. */
  visits: number;
  medMs: Float64Array;
  err: Float64Array;
  slowFrac: Float64Array;
  slowMs: Float64Array;
}

export interface EngineState {
  steps: number;
  stepS: number;
  /** External requests per second entering the system, per step. */
  entryRps: Float64Array;
  bursts: Burst[];
  pods: PodState[];
  podsOf: Map<string, PodState[]>;
  ops: OpState[];
  opIndex: Map<string, number>;
  /** Per service: own (pod-averaged) error share, including downtime; and down share. */
  ownErr: Map<string, Float64Array>;
  down: Map<string, Float64Array>;
  /** Per service: utilisation at peak load, used by metrics and logs. */
  peakUtil: Map<string, number>;
  /** Per service whose traffic early returns upstream change: its requests per step over normal (1 = as usual). */
  trafficRatio: Map<string, Float64Array>;
  /** Per service with an early-return fault: the share of its requests returning early, per step. */
  earlyReturn: Map<string, Float64Array>;
}

/** Runs the engine over `topology` for `opts`. Pure: same inputs, same state. */
export function runEngine(topology: Topology, opts: Required<SimOptions>): EngineState {
  const steps = Math.max(1, Math.floor(opts.durationS / opts.stepS));
  const { load, bursts } = loadCurve({
    seed: opts.seed,
    startMs: opts.start,
    steps,
    stepS: opts.stepS,
    noise: opts.noise,
  });
  const entryRps = load.map((f) => f * opts.peakRps);
  const svcByName = new Map(topology.services.map((s) => [s.name, s]));
  const ops = topology.operations;
  const opIndex = new Map(ops.map((o, i) => [opKey(o.service, o.name), i]));
  const order = opOrder(ops);
  // Expected visits per external request, callers before callees (reverse of callee-first order).
  const visits = new Float64Array(ops.length);
  ops.forEach((o, i) => (visits[i] = o.entryShare));
  for (let k = order.length - 1; k >= 0; k--) {
    const o = ops[order[k]];
    for (const c of o.calls) visits[opIndex.get(opKey(c.service, c.operation))!] += visits[order[k]] * c.count * c.p;
  }
  const fxByPod = podEffects(topology, opts.faults, steps, opts.stepS);
  const { early: earlyShares, trafficRatio } = earlyReturnTraffic(topology, fxByPod, order, opIndex, visits, steps);
  const peakUtil = new Map<string, number>();
  const pods: PodState[] = [];
  const podsOf = new Map<string, PodState[]>();
  for (const pod of topology.pods) {
    const service = svcByName.get(pod.service)!;
    if (!peakUtil.has(service.name))
      peakUtil.set(service.name, 0.2 + 0.25 * createRng(opts.seed, 'util', service.name).next());
    const ratio = trafficRatio.get(service.name);
    const podLoad = ratio ? load.map((l, t) => l * ratio[t]) : load;
    const st = podState(pod, service, fxByPod.get(pod.name) ?? null, podLoad, peakUtil.get(service.name)!, opts);
    pods.push(st);
    podsOf.set(service.name, [...(podsOf.get(service.name) ?? []), st]);
  }
  // Service-level own behaviour: the average over its pods (a Kubernetes Service spreads requests evenly).
  const own = new Map<
    string,
    { mul: Float64Array; add: Float64Array; err: Float64Array; sf: Float64Array; sm: Float64Array; down: Float64Array }
  >();
  for (const s of topology.services) {
    const list = podsOf.get(s.name) ?? [];
    if (list.length === 0) throw new InputError(`topology › ${s.name}`, 'service has no pods');
    const o = {
      mul: new Float64Array(steps),
      add: new Float64Array(steps),
      err: new Float64Array(steps),
      sf: new Float64Array(steps),
      sm: new Float64Array(steps),
      down: new Float64Array(steps),
    };
    const noise = createRng(opts.seed, 'latency', s.name);
    let ar = 0;
    for (let t = 0; t < steps; t++) {
      ar = 0.7 * ar + 0.71 * noise.normal();
      let ok = 0;
      for (const p of list) {
        const fx = p.fx;
        o.mul[t] += p.selfMul[t] / list.length;
        if (!fx) continue;
        o.add[t] += fx.selfAddMs[t] / list.length;
        o.down[t] += fx.down[t] / list.length;
        ok += 1 - fx.ownErr[t];
        // Latency as the callers see it: slow modes inside the pod and stalls in what it sends alike.
        o.sf[t] += Math.min(1, fx.slowFrac[t] + fx.egressSlowFrac[t]) / list.length;
        o.sm[t] = Math.max(o.sm[t], fx.slowMs[t], fx.egressSlowMs[t]);
      }
      const faulty = list.filter((p) => p.fx).length;
      const podErr = faulty === 0 ? 0 : 1 - (ok + (list.length - faulty)) / list.length;
      o.mul[t] *= Math.exp(DEFAULTS.latencyNoise * opts.noiseScale * ar);
      o.err[t] = 1 - (1 - podErr) * (1 - o.down[t]) * (1 - DEFAULTS.baseErrorRate);
    }
    own.set(s.name, o);
  }
  const opStates: OpState[] = ops.map((_, i) => ({
    visits: visits[i],
    medMs: new Float64Array(steps),
    err: new Float64Array(steps),
    slowFrac: new Float64Array(steps),
    slowMs: new Float64Array(steps),
  }));
  const lag = DEFAULTS.propagationLagSteps;
  for (const i of order) {
    const o = ops[i];
    const sv = own.get(o.service)!;
    const st = opStates[i];
    const keep = keptCalls(o.calls.length);
    const early = earlyShares.get(o.service);
    const callees = o.calls.map((c, k) => ({
      c,
      s: opStates[opIndex.get(opKey(c.service, c.operation))!],
      m0: c.count * c.p,
      skippable: k >= keep,
    }));
    for (let t = 0; t < steps; t++) {
      const tl = Math.max(0, t - lag);
      let med = o.selfMs * sv.mul[t] + sv.add[t];
      let ok = 1 - sv.err[t];
      let fast = 1 - sv.sf[t];
      let slow = sv.sm[t];
      for (const { c, s, m0, skippable } of callees) {
        const m = skippable && early ? m0 * (1 - early[t]) : m0;
        med += m * s.medMs[tl];
        const timedOut = s.medMs[tl] + s.slowMs[tl] > DEFAULTS.callTimeoutMs ? s.slowFrac[tl] : 0;
        ok *= Math.pow(1 - Math.min(1, c.errorPropagation * (s.err[tl] + timedOut)), m);
        fast *= Math.pow(1 - s.slowFrac[tl], m);
        slow = Math.max(slow, Math.min(s.slowMs[tl], DEFAULTS.callTimeoutMs));
      }
      st.medMs[t] = med;
      st.err[t] = 1 - ok;
      st.slowFrac[t] = 1 - fast;
      st.slowMs[t] = slow;
    }
  }
  const ownErr = new Map([...own].map(([k, v]) => [k, v.err]));
  const down = new Map([...own].map(([k, v]) => [k, v.down]));
  return {
    steps,
    stepS: opts.stepS,
    entryRps,
    bursts,
    pods,
    podsOf,
    ops: opStates,
    opIndex,
    ownErr,
    down,
    peakUtil,
    trafficRatio,
    earlyReturn: earlyShares,
  };
}

function podEffects(topology: Topology, faults: FaultSpec[], steps: number, stepS: number): Map<string, PodEffects> {
  const out = new Map<string, PodEffects>();
  const svcByName = new Map(topology.services.map((s) => [s.name, s]));
  faults.forEach((f, k) => {
    const targets = topology.pods.filter((p) => p.name === f.target || p.service === f.target);
    if (targets.length === 0)
      throw new InputError(`faults[${k}].target`, `no service or pod named "${f.target}" in ${topology.name}`);
    for (const p of targets) {
      const s = svcByName.get(p.service)!;
      const fx = out.get(p.name) ?? neutralEffects(steps);
      applyFault(
        fx,
        f,
        { cpuLimit: s.cpuLimit, memoryLimitMiB: s.memoryLimitMiB, baseMemoryMiB: baseMemory(s) },
        stepS,
      );
      out.set(p.name, fx);
    }
  });
  return out;
}

/** A pod's resident memory in normal operation, MiB. */
export function baseMemory(s: ServiceInfo): number {
  return s.memoryLimitMiB * (s.language === 'java' || s.language === 'csharp' ? 0.55 : 0.4);
}

function podState(
  pod: PodInfo,
  service: ServiceInfo,
  fx: PodEffects | null,
  load: Float64Array,
  util: number,
  opts: Pick<Required<SimOptions>, 'seed' | 'noiseScale'>,
): PodState {
  const steps = load.length;
  const rng = createRng(opts.seed, 'pod', pod.name);
  const cpu = new Float64Array(steps);
  const memory = new Float64Array(steps);
  const selfMul = new Float64Array(steps);
  const base = baseMemory(service);
  let ar = 0;
  let mem = 0;
  for (let t = 0; t < steps; t++) {
    ar = 0.8 * ar + 0.6 * rng.normal();
    const normal =
      service.cpuLimit * (DEFAULTS.idleCpuShare + util * load[t]) * Math.exp(DEFAULTS.cpuNoise * opts.noiseScale * ar);
    const up = fx ? 1 - fx.down[t] : 1;
    let c = fx ? normal * fx.cpuMul[t] * up + fx.cpuAdd[t] : normal;
    c = Math.min(c, service.cpuLimit); // CFS quota: usage cannot exceed the limit, the rest is throttling
    cpu[t] = c;
    const rho = Math.min(DEFAULTS.maxRho, c / service.cpuLimit);
    selfMul[t] = ((1 - DEFAULTS.nominalRho) / (1 - rho)) * (fx ? fx.selfMul[t] : 1);
    // Memory follows load slowly (caches, connection pools) with a little jitter.
    mem = 0.9 * mem + 0.1 * (0.08 * base * load[t]);
    memory[t] = base + mem + base * 0.01 * rng.normal() + (fx ? fx.memAdd[t] : 0);
  }
  return { pod, service, cpu, memory, selfMul, fx };
}
