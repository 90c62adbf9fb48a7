/**
 * The slips real exports make, applied to a case on purpose: `eval rca --as-exported …` writes a case
 * as a careless export would and reads it back (normalise-case.ts), to show what each slip costs and
 * that the reader undoes it. Deterministic: pod names and scrape offsets come from a hash of the name.
 */
import { parseChoiceList } from './choice-list.js';
import { metricSemantics } from '../model/metric-semantics.js';
import { replicaColumn, splitReplica } from '../model/replica-column.js';
import { hash32 as hash } from '../sim/rng.js';
import type { CaseData, CaseSeries } from './types.js';

/** The slips, in the order they are listed to users. */
export const EXPORT_SLIPS = [
  'pod-names',
  'namespaced',
  'pod-metrics',
  'ms',
  'us-spans',
  'zero-parents',
  'counters',
  'staggered',
  'repeated-rows',
  'raw-paths',
  'node-columns',
  'nezha-names',
] as const;

/** One slip an export can make. */
export type ExportSlip = (typeof EXPORT_SLIPS)[number];

/** Parses a comma list of slips; throws InputError naming `--as-exported` on an unknown one. Pure. */
export function parseSlips(text: string): Set<ExportSlip> {
  return parseChoiceList(text, EXPORT_SLIPS, '--as-exported', 'slip');
}

/**
 * `c` as an export with the given slips wrote it: pod-names / namespaced → spans and log lines name
 * `<service>-<hash>-<random>` / `shop/<service>`; pod-metrics → metric columns name the pod; ms →
 * metric and log times and the start in milliseconds; us-spans → span times in microseconds; zero-parents
 * → a root span's parent is `0000000000000000` (as Jaeger and Zipkin exports write it); counters →
 * CPU, network and request series as running totals named `…_total`; staggered → each series at its own
 * scrape offset (0–24 s), one row per distinct time; repeated-rows → every metric row twice; raw-paths →
 * a route's `{…}` in a span's name holds that request's own identifier (a UUID), as instrumentation that
 * names spans by the raw URL writes them; node-columns → every entity's row also carries its machine's
 * CPU and memory (`NodeCpuUsageRate(%)`), the same on every entity of the machine; nezha-names → the
 * simulator's metrics under the names and units Nezha's per-pod files use (`PodServerLatencyP90(s)`,
 * `PodSuccessRate(%)` for the error rate, `PodWorkload(Ops)`), the alarm's metric with them. Pure.
 */
export function withExportSlips(c: CaseData, slips: ReadonlySet<ExportSlip>): CaseData {
  let out = c;
  if (slips.has('node-columns')) out = nodeColumns(out);
  if (slips.has('nezha-names')) out = nezhaNames(out);
  if (slips.has('counters')) out = { ...out, series: out.series.map((s) => runningTotal(out.timestamps, s)) };
  if (slips.has('pod-metrics'))
    out = {
      ...out,
      series: out.series.map((s) => ({ ...s, entity: podOf(s.entity), key: `${podOf(s.entity)}|${s.metric}` })),
    };
  if (slips.has('pod-names') || slips.has('namespaced')) {
    const name = slips.has('pod-names') ? podOf : (e: string) => `shop/${e}`;
    out = {
      ...out,
      spans: out.spans.map((s) => ({ ...s, entity: name(s.entity) })),
      logs: out.logs.map((l) => ({ ...l, entity: name(l.entity) })),
    };
  }
  if (slips.has('staggered')) out = staggered(out);
  if (slips.has('repeated-rows')) {
    const twice = (v: Float64Array) => Float64Array.from({ length: v.length * 2 }, (_, i) => v[i >> 1]);
    out = {
      ...out,
      timestamps: twice(out.timestamps),
      series: out.series.map((s) => ({ ...s, values: twice(s.values) })),
    };
  }
  if (slips.has('ms'))
    out = {
      ...out,
      timestamps: out.timestamps.map((t) => t * 1e3),
      logs: out.logs.map((l) => ({ ...l, timestamp: l.timestamp * 1e3 })),
      incident: { ...out.incident, start: out.incident.start * 1e3 },
    };
  if (slips.has('zero-parents'))
    out = {
      ...out,
      spans: out.spans.map((s) => (s.parentSpanId === null ? { ...s, parentSpanId: '0000000000000000' } : s)),
    };
  if (slips.has('raw-paths'))
    out = {
      ...out,
      spans: out.spans.map((s) => ({ ...s, operation: s.operation.replace(/\/\{[^}/]*\}/g, () => `/${uuidOf(s)}`) })),
    };
  if (slips.has('us-spans'))
    out = { ...out, spans: out.spans.map((s) => ({ ...s, startNs: s.startNs / 1e3, durationNs: s.durationNs / 1e3 })) };
  return out;
}

/** Kubernetes' name-suffix alphabet (k8s.io/apimachinery rand). */
const K8S_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function suffix(seed: number, length: number): string {
  let s = '',
    x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s += K8S_ALPHABET[x % K8S_ALPHABET.length];
    x = Math.imul(x, 1103515245) + 12345;
    x >>>= 0;
  }
  return s;
}

/** A UUID drawn from the span's ids: one request's identifier. */
function uuidOf(s: { traceId: string; spanId: string }): string {
  const hex = [0, 1, 2, 3].map((k) => hash(`${k}:${s.traceId}:${s.spanId}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A Deployment pod's name for `entity`: `<entity>-<pod-template-hash>-<random>`. */
export function podOf(entity: string): string {
  const h = hash(entity);
  return `${entity}-${suffix(h, 9)}-${suffix(h ^ 0x5bd1e995, 5)}`;
}

// CPU, network and request series (per-second rates) as the running totals a dump without rate() holds.
function runningTotal(ts: Float64Array, s: CaseSeries): CaseSeries {
  const family = metricSemantics(s.metric).family;
  if (family !== 'cpu' && family !== 'network' && family !== 'requests') return s;
  if (s.values.some((v) => v < 0)) return s;
  const { metric: base, replica } = splitReplica(s.metric);
  const metric = replicaColumn(/_total$/i.test(base) ? base : `${base}_total`, replica);
  let total = 1e6;
  let prevT = Number.NaN;
  const values = s.values.map((v, i) => {
    if (!Number.isFinite(v)) return Number.NaN;
    if (Number.isFinite(prevT)) total += v * (ts[i] - prevT);
    prevT = ts[i];
    return total;
  });
  return { ...s, metric, key: `${s.entity}|${metric}`, values };
}

/** The simulator's metrics as Nezha's per-pod files name them: the name, and the value in its unit. */
const NEZHA: Record<string, { name: string; value: (v: number) => number }> = {
  cpu_usage: { name: 'CpuUsageRate(%)', value: (v) => 100 * v },
  memory_usage: { name: 'MemoryUsage(Mi)', value: (v) => v },
  network_receive: { name: 'NetworkReceiveBytes', value: (v) => v },
  network_transmit: { name: 'NetworkTransmitBytes', value: (v) => v },
  latency_p50: { name: 'PodServerLatencyP50(s)', value: (v) => v / 1e3 },
  latency_p90: { name: 'PodServerLatencyP90(s)', value: (v) => v / 1e3 },
  latency_p99: { name: 'PodServerLatencyP99(s)', value: (v) => v / 1e3 },
  request_rate: { name: 'PodWorkload(Ops)', value: (v) => v },
  error_rate: { name: 'PodSuccessRate(%)', value: (v) => 100 * (1 - v) },
};

function nezhaNames(c: CaseData): CaseData {
  const renamed = (metric: string) => {
    const { metric: base, replica } = splitReplica(metric);
    const to = NEZHA[base];
    return to ? { to, metric: replicaColumn(to.name, replica) } : null;
  };
  const entryMetric = c.incident.entryMetric;
  const entryTo = entryMetric === undefined ? null : renamed(entryMetric);
  return {
    ...c,
    series: c.series.map((s) => {
      const r = renamed(s.metric);
      return r ? { ...s, metric: r.metric, key: `${s.entity}|${r.metric}`, values: s.values.map(r.to.value) } : s;
    }),
    incident: entryTo ? { ...c.incident, entryMetric: entryTo.metric } : c.incident,
  };
}

/** Machines the node-columns slip spreads the entities over. */
const MACHINES = 3;
/** The machines' size: NodeCpuUsageRate is the CPU used of this many cores, NodeMemoryUsageRate of this much memory. */
const MACHINE = { cores: 8, memory: 32_000 };

// Each entity with a CPU series on one of MACHINES machines (by a hash of its name); a machine's CPU and
// memory are its entities' sums over a base, written on each of its entities' rows.
function nodeColumns(c: CaseData): CaseData {
  const machineOf = (e: string) => hash(`machine:${e}`) % MACHINES;
  const used = Array.from({ length: MACHINES }, () => ({
    cpu: new Float64Array(c.timestamps.length).fill(0.4),
    memory: new Float64Array(c.timestamps.length).fill(2_000),
  }));
  const onMachine = new Set<string>();
  for (const s of c.series) {
    const family = metricSemantics(s.metric).family;
    if (family !== 'cpu' && family !== 'memory') continue;
    if (family === 'cpu') onMachine.add(s.entity);
    const sum = used[machineOf(s.entity)][family];
    s.values.forEach((v, i) => (sum[i] += Number.isFinite(v) ? v : 0));
  }
  const rate = (v: Float64Array, of: number) => v.map((x) => Math.round((1e4 * x) / of) / 100);
  const added = [...onMachine].flatMap((entity) => {
    const m = used[machineOf(entity)];
    return [
      { entity, metric: 'NodeCpuUsageRate(%)', values: rate(m.cpu, MACHINE.cores) },
      { entity, metric: 'NodeMemoryUsageRate(%)', values: rate(m.memory, MACHINE.memory) },
    ].map((s) => ({ ...s, key: `${entity}|${s.metric}` }));
  });
  return { ...c, series: [...c.series, ...added] };
}

// Each series shifted by its own offset of 0–24 s; the rows become every distinct time.
function staggered(c: CaseData): CaseData {
  const offsets = c.series.map((s) => hash(s.key) % 25);
  const times = [...new Set(c.series.flatMap((_, j) => Array.from(c.timestamps, (t) => t + offsets[j])))].sort(
    (a, b) => a - b,
  );
  const row = new Map(times.map((t, i) => [t, i]));
  return {
    ...c,
    timestamps: Float64Array.from(times),
    series: c.series.map((s, j) => {
      const values = new Float64Array(times.length).fill(Number.NaN);
      c.timestamps.forEach((t, i) => (values[row.get(t + offsets[j]) as number] = s.values[i]));
      return { ...s, values };
    }),
  };
}
