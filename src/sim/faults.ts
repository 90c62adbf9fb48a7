/**
 * What each injected fault does to the pods it hits, step by step. The shapes follow the chaos
 * experiments of the RCA literature (ChaosMesh/stress-ng CPU hogs and memory leaks, tc-netem delay and
 * loss, pod kills, injected exceptions and early returns; see AIOps challenge / RCAEval fault taxonomies and the
 * Online Boutique experiments of MicroRank, WWW 2021): the pod's own resource or latency signal moves
 * at the fault's start; callers feel it through the call graph (see state.ts).
 */
import type { FaultSpec, FaultType } from './types.js';

/** Per-pod fault effects over the run's steps; all neutral (0, or 1 for multipliers) outside faults. */
export interface PodEffects {
  /** Extra CPU cores burnt. */
  cpuAdd: Float64Array;
  /** Multiplier on the pod's normal CPU use (threads blocked → below 1). */
  cpuMul: Float64Array;
  /** Extra memory held, MiB (a leak), reset by an OOM restart. */
  memAdd: Float64Array;
  /** Delay on everything the pod sends (netem on its egress: its requests and replies), ms. */
  selfAddMs: Float64Array;
  /** Multiplier on self latency not due to CPU (GC pauses). */
  selfMul: Float64Array;
  /** Share of requests failing in this pod's own code. */
  ownErr: Float64Array;
  /** Share of requests landing in a slow mode, and that mode's extra latency (ms). */
  slowFrac: Float64Array;
  slowMs: Float64Array;
  /** Share of what the pod sends that stalls (a lost segment waits for retransmission), and the stall (ms). */
  egressSlowFrac: Float64Array;
  egressSlowMs: Float64Array;
  /** Share of the step the pod is down (not serving). */
  down: Float64Array;
  /** Container restarts during the step. */
  restarts: Float64Array;
  /** Share of requests whose code returns early, before its later calls (see `keptCalls`), failing nothing. */
  earlyReturn: Float64Array;
}

/** Knobs for every fault type, at severity 1. */
export const DEFAULTS = {
  cpuHogShare: 0.95, // of the pod's CPU limit
  leakFillShare: 0.7, // the leak reaches the limit after this share of the fault's duration
  gcPressureStart: 0.8, // of the memory limit
  networkDelayMs: 250,
  packetLoss: 0.15,
  retransmitMs: 400, // TCP RTO floor is 200 ms; two RTOs are common under loss
  crashUpS: 60, // CrashLoopBackOff: up this long, then down for the back-off
  crashDownS: 90,
  errorReturnShare: 0.35,
  configErrorShare: 0.55,
  hangMs: 10_000,
  hangShare: 0.7,
  earlyReturnShare: 0.5,
} as const;

/** Creates neutral effects for `steps` steps. */
export function neutralEffects(steps: number): PodEffects {
  const ones = (): Float64Array => new Float64Array(steps).fill(1);
  const zeros = (): Float64Array => new Float64Array(steps);
  return {
    cpuAdd: zeros(),
    cpuMul: ones(),
    memAdd: zeros(),
    selfAddMs: zeros(),
    selfMul: ones(),
    ownErr: zeros(),
    slowFrac: zeros(),
    egressSlowFrac: zeros(),
    egressSlowMs: zeros(),
    slowMs: zeros(),
    down: zeros(),
    restarts: zeros(),
    earlyReturn: zeros(),
  };
}

/**
 * How many of an operation's calls (in its call order) still run when its code returns early: the first
 * half, so a single call is skipped altogether. A wrong return value in the spirit of the code faults of
 * Nezha (Yu et al., FSE 2023): the request succeeds, only its path through the system changes.
 */
export function keptCalls(callCount: number): number {
  return Math.floor(callCount / 2);
}

/** The pod's limits and baseline memory, which shape a fault's effect. */
export interface PodLimits {
  cpuLimit: number;
  memoryLimitMiB: number;
  baseMemoryMiB: number;
}

/** The metric in which each fault first shows on its own target (used by tests and truth). */
export const OWN_METRIC: Record<FaultType, string> = {
  'cpu-hog': 'cpu_usage',
  'memory-leak': 'memory_usage',
  'network-delay': 'latency_p50',
  'packet-loss': 'latency_p99',
  'pod-crash': 'restarts',
  'error-return': 'error_rate',
  'config-change': 'error_rate',
  'dependency-timeout': 'latency_p99',
  'wrong-return': 'latency_p50', // it falls: the skipped calls' time is gone
};

/**
 * Adds `fault`'s effect on one pod to `fx` (effects of concurrent faults add up). `stepS` is the
 * metric resolution; a step partly covered by the fault gets a proportional effect. Pure apart from `fx`.
 */
export function applyFault(fx: PodEffects, fault: FaultSpec, limits: PodLimits, stepS: number): void {
  const sev = fault.severity ?? 1;
  const steps = fx.cpuAdd.length;
  const first = Math.max(0, Math.floor(fault.startS / stepS));
  const endS = fault.startS + fault.durationS;
  const last = Math.min(steps - 1, Math.ceil(endS / stepS) - 1);
  let leak = 0;
  for (let i = first; i <= last; i++) {
    const s0 = i * stepS;
    const cover = Math.max(0, Math.min(endS, s0 + stepS) - Math.max(fault.startS, s0)) / stepS;
    switch (fault.type) {
      case 'cpu-hog': {
        fx.cpuAdd[i] += cover * DEFAULTS.cpuHogShare * sev * limits.cpuLimit;
        break;
      }
      case 'memory-leak': {
        const room = limits.memoryLimitMiB - limits.baseMemoryMiB;
        const perS = (room / (DEFAULTS.leakFillShare * fault.durationS)) * sev;
        leak += perS * stepS * cover;
        if (limits.baseMemoryMiB + leak >= limits.memoryLimitMiB) {
          // OOMKilled: the container restarts and the leak starts over.
          leak = 0;
          fx.restarts[i] += 1;
          fx.down[i] = Math.min(1, fx.down[i] + 20 / stepS);
        }
        fx.memAdd[i] += leak;
        const fill = (limits.baseMemoryMiB + leak) / limits.memoryLimitMiB;
        const gc = Math.max(0, (fill - DEFAULTS.gcPressureStart) / (1 - DEFAULTS.gcPressureStart));
        fx.selfMul[i] *= 1 + 6 * gc * gc;
        fx.slowFrac[i] = Math.min(1, fx.slowFrac[i] + 0.25 * gc);
        fx.slowMs[i] = Math.max(fx.slowMs[i], 300 * gc);
        if (fill > 0.95) fx.ownErr[i] = Math.min(1, fx.ownErr[i] + 0.05);
        break;
      }
      case 'network-delay': {
        fx.selfAddMs[i] += cover * DEFAULTS.networkDelayMs * sev;
        break;
      }
      case 'packet-loss': {
        const loss = Math.min(0.9, DEFAULTS.packetLoss * sev) * cover;
        // A message of a few packets the pod sends sees at least one loss with probability 1 − (1 − loss)^3.
        fx.egressSlowFrac[i] = Math.min(1, fx.egressSlowFrac[i] + (1 - Math.pow(1 - loss, 3)));
        fx.egressSlowMs[i] = Math.max(fx.egressSlowMs[i], DEFAULTS.retransmitMs);
        fx.ownErr[i] = Math.min(1, fx.ownErr[i] + loss * loss);
        break;
      }
      case 'pod-crash': {
        // Up crashUpS, then down crashDownS, repeatedly (CrashLoopBackOff), down first.
        const cycle = DEFAULTS.crashUpS + DEFAULTS.crashDownS;
        let downS = 0;
        for (let t = Math.max(s0, fault.startS); t < Math.min(endS, s0 + stepS); t += 1) {
          if ((t - fault.startS) % cycle < DEFAULTS.crashDownS) downS += 1;
        }
        fx.down[i] = Math.min(1, fx.down[i] + (downS / stepS) * Math.min(1, sev));
        break;
      }
      case 'error-return': {
        fx.ownErr[i] = Math.min(1, fx.ownErr[i] + cover * DEFAULTS.errorReturnShare * sev);
        break;
      }
      case 'config-change': {
        if (i === first) fx.restarts[i] += 1; // the rollout that picked up the new ConfigMap
        fx.ownErr[i] = Math.min(1, fx.ownErr[i] + cover * DEFAULTS.configErrorShare * sev);
        fx.slowFrac[i] = Math.min(1, fx.slowFrac[i] + cover * 0.3 * sev);
        fx.slowMs[i] = Math.max(fx.slowMs[i], 1_000);
        break;
      }
      case 'dependency-timeout': {
        fx.slowFrac[i] = Math.min(1, fx.slowFrac[i] + cover * DEFAULTS.hangShare * Math.min(1, sev));
        fx.slowMs[i] = Math.max(fx.slowMs[i], DEFAULTS.hangMs);
        fx.ownErr[i] = Math.min(1, fx.ownErr[i] + cover * 0.05 * sev);
        fx.cpuMul[i] *= 1 - 0.5 * cover; // threads parked on the pool: less CPU, not more
        break;
      }
      case 'wrong-return': {
        fx.earlyReturn[i] = Math.min(1, fx.earlyReturn[i] + cover * DEFAULTS.earlyReturnShare * sev);
        break;
      }
    }
  }
  if (fault.type === 'pod-crash') {
    // One restart at the start of every crash cycle inside the fault.
    const cycle = DEFAULTS.crashUpS + DEFAULTS.crashDownS;
    for (let t = fault.startS; t < endS; t += cycle) {
      const i = Math.floor(t / stepS);
      if (i >= 0 && i < steps) fx.restarts[i] += 1;
    }
  }
}
