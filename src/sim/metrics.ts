/**
 * Turns the engine's state into Prometheus-like series: per service the RED metrics (request rate,
 * error rate, latency p50/p90/p99 from a log-normal body mixed with a slow mode) and resource sums;
 * per pod CPU, memory, network and restarts (cAdvisor / kube-state-metrics style); per machine CPU and
 * memory. Error rates carry Poisson counting noise, so low-traffic services are noisy, as in reality.
 */
import { keptCalls } from './faults.js';
import { createRng } from './rng.js';
import type { EngineState } from './state.js';
import type { EntityKind, MetricSeries, SimMetrics, Topology } from './types.js';

/** Knobs of the metric rendering. */
export const DEFAULTS = {
  /** σ of log latency within the normal mode. */
  latencySigma: 0.45,
  /** Extra multiplicative jitter on p99 (few samples in the tail). */
  p99Jitter: 0.08,
  machineSystemCpu: 0.3,
  machineSystemMemoryMiB: 1_500,
} as const;

/** Metric names and units by entity kind (the `<metric>` half of a case column). */
export const METRICS = {
  service: {
    request_rate: 'req/s',
    error_rate: 'ratio',
    latency_p50: 'ms',
    latency_p90: 'ms',
    latency_p99: 'ms',
    cpu_usage: 'cores',
    memory_usage: 'MiB',
    network_receive: 'bytes/s',
    network_transmit: 'bytes/s',
    restarts: 'count',
  },
  pod: {
    cpu_usage: 'cores',
    memory_usage: 'MiB',
    network_receive: 'bytes/s',
    network_transmit: 'bytes/s',
    restarts: 'count',
  },
  machine: { cpu_usage: 'cores', memory_usage: 'MiB' },
} as const;

/** Acklam's rational approximation of the standard normal quantile (|error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q));
    return (
      (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) /
      ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1)
    );
  }
  if (q > 1 - 0.02425) return -normalQuantile(1 - q);
  const r = (q - 0.5) * (q - 0.5);
  const s = q - 0.5;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * s) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** Quantile `q` of a mixture: log-normal body (median `med`), and a share `f` of slow requests at `med + slowMs`. */
export function mixtureQuantile(
  q: number,
  med: number,
  f: number,
  slowMs: number,
  sigma = DEFAULTS.latencySigma,
): number {
  if (f <= 1e-9 || slowMs <= 0) return med * Math.exp(sigma * normalQuantile(q));
  // Slow requests sit above the body, so the body covers the lowest (1 − f) of the distribution.
  if (q < 1 - f) return med * Math.exp(sigma * normalQuantile(q / (1 - f)));
  return (med + slowMs) * Math.exp(0.25 * sigma * normalQuantile((q - (1 - f)) / f));
}

/** Builds every series of the run. Pure. */
export function buildMetrics(topology: Topology, st: EngineState, a: { seed: number; startMs: number }): SimMetrics {
  const timestamps = new Float64Array(st.steps);
  for (let t = 0; t < st.steps; t++) timestamps[t] = a.startMs / 1000 + t * st.stepS;
  const series = new Map<string, MetricSeries>();
  const put = (entity: string, kind: EntityKind, metric: string, values: Float64Array): void => {
    const units = METRICS[kind] as Record<string, string>;
    series.set(`${entity}|${metric}`, { entity, kind, metric, unit: units[metric], values });
  };
  const machineCpu = new Map(
    topology.machines.map((m) => [m.name, new Float64Array(st.steps).fill(DEFAULTS.machineSystemCpu)]),
  );
  const machineMem = new Map(
    topology.machines.map((m) => [m.name, new Float64Array(st.steps).fill(DEFAULTS.machineSystemMemoryMiB)]),
  );
  const opsOf = new Map<string, number[]>();
  topology.operations.forEach((o, i) => opsOf.set(o.service, [...(opsOf.get(o.service) ?? []), i]));
  for (const s of topology.services) {
    const rng = createRng(a.seed, 'metrics', s.name);
    const idx = opsOf.get(s.name) ?? [];
    const visits = idx.reduce((acc, i) => acc + st.ops[i].visits, 0);
    const reqBytes = 400 + 1_600 * rng.next();
    const respBytes = 1_500 + 15_000 * rng.next();
    // Calls made per request served: all of them, and those an early return skips.
    const perRequest = (skippedOnly: boolean) =>
      idx.reduce((acc, i) => {
        const calls = topology.operations[i].calls;
        const keep = skippedOnly ? keptCalls(calls.length) : 0;
        return acc + calls.slice(keep).reduce((x, c) => x + c.count * c.p, 0) * st.ops[i].visits;
      }, 0) / Math.max(visits, 1e-12);
    const fanoutAll = perRequest(false);
    const early = st.earlyReturn.get(s.name);
    const fanoutSkippable = early ? perRequest(true) : 0;
    const m = {
      rate: new Float64Array(st.steps),
      err: new Float64Array(st.steps),
      p50: new Float64Array(st.steps),
      p90: new Float64Array(st.steps),
      p99: new Float64Array(st.steps),
      cpu: new Float64Array(st.steps),
      mem: new Float64Array(st.steps),
      rx: new Float64Array(st.steps),
      tx: new Float64Array(st.steps),
      restarts: new Float64Array(st.steps),
    };
    const pods = st.podsOf.get(s.name) ?? [];
    const podRx = pods.map(() => new Float64Array(st.steps));
    const podTx = pods.map(() => new Float64Array(st.steps));
    const traffic = st.trafficRatio.get(s.name);
    for (let t = 0; t < st.steps; t++) {
      const n = st.entryRps[t] * visits * st.stepS * (traffic ? traffic[t] : 1);
      const count = Math.max(0, n + Math.sqrt(n) * rng.normal());
      const rate = count / st.stepS;
      let med = 0,
        err = 0,
        sf = 0,
        sm = 0;
      for (const i of idx) {
        const w = st.ops[i].visits / Math.max(visits, 1e-12);
        med += w * st.ops[i].medMs[t];
        err += w * st.ops[i].err[t];
        sf += w * st.ops[i].slowFrac[t];
        sm += w * st.ops[i].slowFrac[t] * st.ops[i].slowMs[t];
      }
      sm = sf > 0 ? sm / sf : 0;
      const lam = err * count;
      m.rate[t] = rate;
      m.err[t] = count > 0 ? Math.min(1, Math.max(0, Math.round(lam + Math.sqrt(lam) * rng.normal())) / count) : 0;
      m.p50[t] = mixtureQuantile(0.5, med, sf, sm);
      m.p90[t] = mixtureQuantile(0.9, med, sf, sm);
      m.p99[t] = mixtureQuantile(0.99, med, sf, sm) * Math.exp(DEFAULTS.p99Jitter * rng.normal());
      const fanout = early ? fanoutAll - fanoutSkippable * early[t] : fanoutAll;
      pods.forEach((p, k) => {
        const share = (rate / pods.length) * (p.fx ? 1 - p.fx.down[t] : 1);
        podRx[k][t] = share * (reqBytes + fanout * respBytes * 0.5);
        podTx[k][t] = share * (respBytes + fanout * reqBytes);
        m.cpu[t] += p.cpu[t];
        m.mem[t] += p.memory[t];
        m.rx[t] += podRx[k][t];
        m.tx[t] += podTx[k][t];
        machineCpu.get(p.pod.machine)![t] += p.cpu[t];
        machineMem.get(p.pod.machine)![t] += p.memory[t];
      });
    }
    put(s.name, 'service', 'request_rate', m.rate);
    put(s.name, 'service', 'error_rate', m.err);
    put(s.name, 'service', 'latency_p50', m.p50);
    put(s.name, 'service', 'latency_p90', m.p90);
    put(s.name, 'service', 'latency_p99', m.p99);
    put(s.name, 'service', 'cpu_usage', m.cpu);
    put(s.name, 'service', 'memory_usage', m.mem);
    put(s.name, 'service', 'network_receive', m.rx);
    put(s.name, 'service', 'network_transmit', m.tx);
    put(s.name, 'service', 'restarts', m.restarts);
    pods.forEach((p, k) => {
      put(p.pod.name, 'pod', 'cpu_usage', p.cpu);
      put(p.pod.name, 'pod', 'memory_usage', p.memory);
      put(p.pod.name, 'pod', 'network_receive', podRx[k]);
      put(p.pod.name, 'pod', 'network_transmit', podTx[k]);
      const restarts = new Float64Array(st.steps);
      let total = 0;
      for (let t = 0; t < st.steps; t++) {
        restarts[t] = total += p.fx ? p.fx.restarts[t] : 0;
        m.restarts[t] += restarts[t];
      }
      put(p.pod.name, 'pod', 'restarts', restarts);
    });
  }
  for (const mc of topology.machines) {
    put(mc.name, 'machine', 'cpu_usage', machineCpu.get(mc.name)!);
    put(mc.name, 'machine', 'memory_usage', machineMem.get(mc.name)!);
  }
  return { timestamps, series };
}
