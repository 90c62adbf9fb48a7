/**
 * `simulate(opts)`: one deterministic run of a simulated microservice system with injected faults,
 * giving metrics, traces, logs, alerts and the ground truth that ties them together. Composes the
 * topology builders, the engine (state.ts) and the renderers (metrics, traces, logs, alerts).
 */
import { InputError } from '../errors.js';
import { evaluateAlerts } from './alerts.js';
import { OWN_METRIC } from './faults.js';
import { generateSystem } from './generate-system.js';
import { generateLogs } from './logs.js';
import { buildMetrics } from './metrics.js';
import { onlineBoutique } from './online-boutique.js';
import { createRng } from './rng.js';
import { runEngine } from './state.js';
import { earlyReturnReach, hopsTo } from './topology-util.js';
import { generateTraces } from './traces.js';
import {
  FAULT_TYPES,
  type ChangeEvent,
  type GroundTruth,
  type SimAlert,
  type SimOptions,
  type SimRun,
  type Topology,
  type TruthFault,
} from './types.js';

/** Defaults for the optional knobs of SimOptions. */
export const DEFAULTS = {
  traceRatePerS: 1,
  logsPerRequest: 0.02,
  noise: true,
  noiseScale: 1,
  peakRpsOnlineBoutique: 60,
  /** Per generated service at the entry, so bigger systems carry more traffic. */
  peakRpsPerGeneratedService: 0.5,
  /** Alerts starting up to this long after a fault ends still belong to it (recovery). */
  recoveryS: 300,
  benignChangesPerDay: 3,
} as const;

/** Builds the topology an options object asks for. Pure. */
export function topologyFor(opts: Pick<SimOptions, 'system' | 'seed'>): Topology {
  if (opts.system === 'online-boutique') return onlineBoutique(opts.seed);
  if (typeof opts.system === 'object' && opts.system && 'generated' in opts.system) {
    return generateSystem({ services: opts.system.generated.services, seed: opts.seed });
  }
  throw new InputError(
    'system',
    `expected "online-boutique" or { generated: { services } }, got ${JSON.stringify(opts.system)}`,
  );
}

/** Simulates one run. Pure and deterministic: the same options always give the same run. */
export function simulate(input: SimOptions): SimRun {
  validate(input);
  const topology = topologyFor(input);
  const peakRps =
    input.peakRps ??
    (input.system === 'online-boutique'
      ? DEFAULTS.peakRpsOnlineBoutique
      : Math.max(10, DEFAULTS.peakRpsPerGeneratedService * topology.services.length));
  const opts = {
    ...input,
    traceRatePerS: input.traceRatePerS ?? DEFAULTS.traceRatePerS,
    logsPerRequest: input.logsPerRequest ?? DEFAULTS.logsPerRequest,
    noise: input.noise ?? DEFAULTS.noise,
    noiseScale: input.noiseScale ?? DEFAULTS.noiseScale,
    clientSpans: input.clientSpans ?? false,
    peakRps,
  };
  const st = runEngine(topology, opts);
  const metrics = buildMetrics(topology, st, { seed: opts.seed, startMs: opts.start });
  const namespace = topology.services[0]?.namespace ?? 'default';
  const alerts = evaluateAlerts(topology, metrics, { seed: opts.seed, namespace, noise: opts.noise });
  // Counterfactual runs (same seed, so the same load and noise): without any fault, and with each fault alone.
  const runs = new Map<number, Map<string, SimAlert[]>>();
  const alertsWith = (key: number, faults: SimOptions['faults']): Map<string, SimAlert[]> => {
    let byFp = runs.get(key);
    if (!byFp) {
      const m = buildMetrics(topology, runEngine(topology, { ...opts, faults }), {
        seed: opts.seed,
        startMs: opts.start,
      });
      byFp = new Map();
      for (const x of evaluateAlerts(topology, m, { seed: opts.seed, namespace, noise: false }))
        byFp.set(x.fingerprint, [...(byFp.get(x.fingerprint) ?? []), x]);
      runs.set(key, byFp);
    }
    return byFp;
  };
  const overlaps = (al: SimAlert, x: SimAlert) =>
    x.startsAt < (al.endsAt ?? Infinity) && (x.endsAt ?? Infinity) > al.startsAt;
  const counterfactual = {
    // Background: the same alert starts (within a step) in the run without faults — the fault did not make it fire.
    background: (al: SimAlert) =>
      (alertsWith(-1, []).get(al.fingerprint) ?? []).some(
        (x) => Math.abs(x.startsAt - al.startsAt) <= opts.stepS * 1000,
      ),
    explains: (k: number, al: SimAlert) =>
      (alertsWith(k, [opts.faults[k]]).get(al.fingerprint) ?? []).some((x) => overlaps(al, x)),
  };
  const truth = groundTruth(topology, opts, alerts, counterfactual);
  const stepOf = (s: number | undefined, dflt: number): number => (s === undefined ? dflt : Math.floor(s / opts.stepS));
  return {
    options: opts,
    topology,
    metrics,
    alerts,
    truth,
    traces: (w = {}) =>
      generateTraces({
        topology,
        st,
        seed: opts.seed,
        startMs: opts.start,
        ratePerS: opts.traceRatePerS,
        peakRps,
        fromStep: stepOf(w.fromS, 0),
        toStep: stepOf(w.toS, st.steps),
        clientSpans: opts.clientSpans,
      }),
    logs: (w = {}) =>
      generateLogs({
        topology,
        st,
        faults: opts.faults,
        seed: opts.seed,
        startMs: opts.start,
        logsPerRequest: opts.logsPerRequest,
        fromStep: stepOf(w.fromS, 0),
        toStep: stepOf(w.toS, st.steps),
      }),
  };
}

/** The largest jitter scale a run accepts (SimOptions.noiseScale): at 20, latency jitters by e^±1.2 a step; more is a typo. */
export const MAX_NOISE_SCALE = 20;

function validate(o: SimOptions): void {
  const num = (v: unknown, where: string, min: number, max = Infinity): void => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      throw new InputError(
        where,
        `expected a number ${max === Infinity ? `≥ ${min}` : `from ${min} to ${max}`}, got ${JSON.stringify(v)}`,
      );
  };
  num(o.seed, 'seed', -Infinity);
  num(o.start, 'start', 0);
  num(o.stepS, 'stepS', 1);
  num(o.durationS, 'durationS', o.stepS);
  if (o.noiseScale !== undefined) num(o.noiseScale, 'noiseScale', 0, MAX_NOISE_SCALE);
  if (!Array.isArray(o.faults)) throw new InputError('faults', 'expected an array');
  o.faults.forEach((f, i) => {
    if (!(FAULT_TYPES as readonly string[]).includes(f.type)) {
      throw new InputError(`faults[${i}].type`, `unknown fault type "${f.type}"`, {
        hint: `one of ${FAULT_TYPES.join(', ')}`,
      });
    }
    num(f.startS, `faults[${i}].startS`, 0);
    num(f.durationS, `faults[${i}].durationS`, 1);
    if (f.severity !== undefined) {
      num(f.severity, `faults[${i}].severity`, 0);
      if (f.severity === 0) throw new InputError(`faults[${i}].severity`, 'expected a number above 0, got 0');
    }
  });
}

/**
 * Which fault each alert belongs to. None when it is background: a noise alert, or one that starts
 * just the same in the run without faults (a chronic flapper firing during the fault). Otherwise,
 * among the faults active at its start (plus recovery) whose service is within reach of the alert's,
 * those whose counterfactual run alone also raises it (`explains`), nearest first; when none does
 * (an interaction), the nearest.
 */
function groundTruth(
  topology: Topology,
  opts: SimOptions,
  alerts: SimAlert[],
  cf: { background: (alert: SimAlert) => boolean; explains: (fault: number, alert: SimAlert) => boolean },
): GroundTruth {
  const podOf = new Map(topology.pods.map((p) => [p.name, p]));
  const faults: TruthFault[] = opts.faults.map((f, k) => {
    const pod = podOf.get(f.target);
    const service = pod ? pod.service : f.target;
    const pods = pod ? [pod] : topology.pods.filter((p) => p.service === service);
    return {
      id: `f${k}`,
      type: f.type,
      target: f.target,
      targetKind: pod ? 'pod' : 'service',
      service,
      pods: pods.map((p) => p.name),
      machines: [...new Set(pods.map((p) => p.machine))],
      start: opts.start + f.startS * 1000,
      end: opts.start + (f.startS + f.durationS) * 1000,
      // Callers feel a fault; an early return is felt by the callees it stops calling too.
      affectedServices: [
        ...new Set([
          ...hopsTo(topology, service).keys(),
          ...(f.type === 'wrong-return' ? earlyReturnReach(topology, service) : []),
        ]),
      ],
      alertFingerprints: [],
      ownMetric: OWN_METRIC[f.type],
    };
  });
  const hops = faults.map((f) => hopsTo(topology, f.service));
  const noise = new Set<string>();
  for (const al of alerts) {
    const service = al.labels.service ?? '';
    const candidates: Array<[number, number]> = [];
    faults.forEach((f, k) => {
      const h = hops[k].get(service);
      if (h === undefined || al.labels.alertname.startsWith('Node') || al.annotations.summary?.endsWith('(background)'))
        return;
      if (al.startsAt + 1 < f.start || al.startsAt > f.end + DEFAULTS.recoveryS * 1000) return;
      candidates.push([k, h]);
    });
    if (candidates.length > 0 && cf.background(al)) candidates.length = 0;
    const causal = candidates.length > 1 ? candidates.filter(([k]) => cf.explains(k, al)) : [];
    const pool = causal.length > 0 ? causal : candidates;
    let best = -1;
    let bestHops = Infinity;
    for (const [k, h] of pool) {
      if (h < bestHops) {
        best = k;
        bestHops = h;
      }
    }
    al.incident = best >= 0 ? best : null;
    if (best >= 0) {
      if (!faults[best].alertFingerprints.includes(al.fingerprint)) faults[best].alertFingerprints.push(al.fingerprint);
    } else noise.add(al.fingerprint);
  }
  return { faults, changes: changes(topology, opts), noiseAlertFingerprints: [...noise] };
}

function changes(topology: Topology, opts: SimOptions): ChangeEvent[] {
  const out: ChangeEvent[] = [];
  opts.faults.forEach((f, k) => {
    if (f.type !== 'config-change') return;
    const service = topology.pods.find((p) => p.name === f.target)?.service ?? f.target;
    out.push({
      time: opts.start + f.startS * 1000,
      kind: 'ConfigMap',
      name: `${service}-config`,
      service,
      fault: k,
      description: `data.${service === 'cartservice' ? 'REDIS_ADDR' : 'UPSTREAM_TIMEOUT_MS'} changed`,
    });
  });
  if (opts.noise ?? DEFAULTS.noise) {
    const rng = createRng(opts.seed, 'changes');
    const count = Math.floor((DEFAULTS.benignChangesPerDay * opts.durationS) / 86_400 + rng.next());
    for (let k = 0; k < count; k++) {
      const s = rng.pick(topology.services);
      out.push({
        time: opts.start + Math.floor(rng.next() * opts.durationS) * 1000,
        kind: 'Deployment',
        name: s.name,
        service: s.name,
        fault: null,
        description: `image ${s.name}:v0.${8 + rng.int(3)}.${rng.int(10)} rolled out`,
      });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}
