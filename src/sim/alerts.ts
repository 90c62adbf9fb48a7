/**
 * Prometheus alerting rules evaluated over the simulated series, the way Prometheus does: a rule's
 * condition must hold for `forSteps` evaluations before it fires, and it resolves as soon as it stops
 * holding, with no hysteresis, so noisy signals near a threshold flap. Rules are layered like real
 * setups (warning and critical thresholds, service and pod level, RED + USE + kube-state-metrics), so
 * one fault raises a storm of related alerts. Fingerprints are Alertmanager's: FNV-1a 64 over the
 * sorted label pairs (prometheus/common model.LabelsToSignature).
 */
import { createRng } from './rng.js';
import type { SimAlert, SimMetrics, Topology } from './types.js';

/** Knobs of the alert rules. */
export const DEFAULTS = {
  forSteps: 2,
  latencyWarnX: 2,
  latencyCritX: 4,
  errorWarn: 0.02,
  errorCrit: 0.1,
  cpuThrottleShare: 0.9,
  memoryNearLimit: 0.9,
  /** Background alerts per hour that belong to no fault (disk, jobs, certificates). */
  noisePerHour: 0.5,
} as const;

interface Rule {
  alertname: string;
  severity: 'warning' | 'critical';
  kind: 'service' | 'pod';
  metric: string;
  /** Threshold from the series itself (e.g. a multiple of its median). */
  threshold(values: Float64Array, limit: number): number;
  summary: string;
}

const median = (v: Float64Array): number => {
  const s = Float64Array.from(v).sort();
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)];
};

/** The rule set; latency thresholds are multiples of the series' median (its SLO baseline). */
export const RULES: Rule[] = [
  {
    alertname: 'HighRequestLatency',
    severity: 'warning',
    kind: 'service',
    metric: 'latency_p99',
    threshold: (v) => DEFAULTS.latencyWarnX * median(v),
    summary: 'p99 latency above SLO',
  },
  {
    alertname: 'HighRequestLatency',
    severity: 'critical',
    kind: 'service',
    metric: 'latency_p99',
    threshold: (v) => DEFAULTS.latencyCritX * median(v),
    summary: 'p99 latency far above SLO',
  },
  {
    alertname: 'HighErrorRate',
    severity: 'warning',
    kind: 'service',
    metric: 'error_rate',
    threshold: () => DEFAULTS.errorWarn,
    summary: 'error ratio above 2%',
  },
  {
    alertname: 'HighErrorRate',
    severity: 'critical',
    kind: 'service',
    metric: 'error_rate',
    threshold: () => DEFAULTS.errorCrit,
    summary: 'error ratio above 10%',
  },
  {
    alertname: 'CPUThrottlingHigh',
    severity: 'warning',
    kind: 'pod',
    metric: 'cpu_usage',
    threshold: (_v, limit) => DEFAULTS.cpuThrottleShare * limit,
    summary: 'container CPU near its limit',
  },
  {
    alertname: 'ContainerMemoryNearLimit',
    severity: 'warning',
    kind: 'pod',
    metric: 'memory_usage',
    threshold: (_v, _l) => 0,
    summary: 'container memory near its limit',
  },
  {
    alertname: 'KubePodCrashLooping',
    severity: 'critical',
    kind: 'pod',
    metric: 'restarts',
    threshold: () => 0,
    summary: 'pod is restarting',
  },
];

const NOISE = [
  'NodeFilesystemSpaceFillingUp',
  'KubeJobFailed',
  'CertificateExpiringSoon',
  'KubeHpaMaxedOut',
  'PrometheusTargetMissing',
];

/** Evaluates every rule on every step and returns the firing episodes (incident unset: null). Pure. */
export function evaluateAlerts(
  topology: Topology,
  metrics: SimMetrics,
  a: { seed: number; namespace: string; noise: boolean },
): SimAlert[] {
  const alerts: SimAlert[] = [];
  const ts = metrics.timestamps;
  const stepMs = ts.length > 1 ? (ts[1] - ts[0]) * 1000 : 30_000;
  const svc = new Map(topology.services.map((s) => [s.name, s]));
  for (const rule of RULES) {
    const entities =
      rule.kind === 'service'
        ? topology.services.map((s) => ({ e: s.name, service: s.name, pod: undefined as string | undefined }))
        : topology.pods.map((p) => ({ e: p.name, service: p.service, pod: p.name as string | undefined }));
    for (const { e, service, pod } of entities) {
      const series = metrics.series.get(`${e}|${rule.metric}`);
      if (!series) continue;
      const v = series.values;
      const info = svc.get(service)!;
      let cond: (i: number) => boolean;
      if (rule.metric === 'restarts') cond = (i) => v[i] > v[Math.max(0, i - Math.round(600_000 / stepMs))];
      else if (rule.metric === 'memory_usage') cond = (i) => v[i] > DEFAULTS.memoryNearLimit * info.memoryLimitMiB;
      else {
        const th = rule.threshold(v, info.cpuLimit);
        cond = (i) => v[i] > th;
      }
      const labels: Record<string, string> = {
        alertname: rule.alertname,
        namespace: info.namespace,
        service,
        severity: rule.severity,
      };
      if (pod) labels.pod = pod;
      let run = 0;
      let open: SimAlert | null = null;
      for (let i = 0; i < v.length; i++) {
        run = cond(i) ? run + 1 : 0;
        if (run >= DEFAULTS.forSteps && !open) {
          open = {
            labels,
            annotations: { summary: rule.summary, description: `${e} ${rule.metric} = ${v[i].toPrecision(4)}` },
            startsAt: ts[i] * 1000,
            endsAt: null,
            fingerprint: fingerprint(labels),
            incident: null,
          };
          alerts.push(open);
        } else if (run === 0 && open) {
          open.endsAt = ts[i] * 1000;
          open = null;
        }
      }
    }
  }
  if (a.noise) alerts.push(...noiseAlerts(topology, ts, stepMs, a));
  return alerts.sort((x, y) => x.startsAt - y.startsAt || x.fingerprint.localeCompare(y.fingerprint));
}

function noiseAlerts(
  topology: Topology,
  ts: Float64Array,
  stepMs: number,
  a: { seed: number; namespace: string },
): SimAlert[] {
  const rng = createRng(a.seed, 'noise-alerts');
  const hours = (ts.length * stepMs) / 3_600_000;
  const out: SimAlert[] = [];
  for (let k = Math.floor(DEFAULTS.noisePerHour * hours + rng.next()); k > 0; k--) {
    const alertname = rng.pick(NOISE);
    const labels: Record<string, string> = { alertname, namespace: a.namespace, severity: 'warning' };
    if (alertname.startsWith('Node')) labels.instance = rng.pick(topology.machines).name;
    else labels.service = rng.pick(topology.services).name;
    const startsAt = ts[0] * 1000 + Math.floor(rng.next() * ts.length) * stepMs;
    const endsAt = startsAt + (1 + rng.int(20)) * stepMs;
    out.push({
      labels,
      annotations: { summary: `${alertname} (background)` },
      startsAt,
      endsAt: endsAt > ts[ts.length - 1] * 1000 ? null : endsAt,
      fingerprint: fingerprint(labels),
      incident: null,
    });
  }
  return out;
}

/** Alertmanager's fingerprint of a label set: FNV-1a 64 over sorted `name 0xff value 0xff`, 16 hex digits. */
export function fingerprint(labels: Record<string, string>): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  const feed = (bytes: Uint8Array): void => {
    for (const b of bytes) h = ((h ^ BigInt(b)) * prime) & mask;
  };
  const enc = new TextEncoder();
  const sep = new Uint8Array([255]);
  for (const k of Object.keys(labels).sort()) {
    feed(enc.encode(k));
    feed(sep);
    feed(enc.encode(labels[k]));
    feed(sep);
  }
  return h.toString(16).padStart(16, '0');
}
