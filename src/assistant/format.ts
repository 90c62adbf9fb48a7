/**
 * Numbers for people: metric values with their unit, counts with separators, percentages, sizes.
 * Every answer formats numbers here, so a value reads the same in chat, on the card and in the
 * model's tool results. Pure.
 */

import { CALL_SHARE_METRIC, isSliMetric, normaliseMetricName } from '../model/metric-semantics.js';
import { splitReplica } from '../model/replica-column.js';
import { shortName } from '../model/short-name.js';

/** What a metric measures: its unit and a readable name. Unknown metrics keep their name, no unit. */
export interface MetricInfo {
  unit: 'ms' | 's' | 'ratio' | '%' | 'req/s' | 'cores' | 'MiB' | 'bytes' | 'bytes/s' | 'count' | '';
  label: string;
  /** Service-level indicators (what users feel): latency, errors, traffic. */
  sli: boolean;
}

const KNOWN: Record<string, MetricInfo> = {
  request_rate: { unit: 'req/s', label: 'request rate', sli: true },
  error_rate: { unit: 'ratio', label: 'error rate', sli: true },
  latency_p50: { unit: 'ms', label: 'p50 latency', sli: true },
  latency_p90: { unit: 'ms', label: 'p90 latency', sli: true },
  latency_p95: { unit: 'ms', label: 'p95 latency', sli: true },
  latency_p99: { unit: 'ms', label: 'p99 latency', sli: true },
  cpu_usage: { unit: 'cores', label: 'CPU', sli: false },
  memory_usage: { unit: 'MiB', label: 'memory', sli: false },
  network_receive: { unit: 'bytes/s', label: 'network in', sli: false },
  network_transmit: { unit: 'bytes/s', label: 'network out', sli: false },
  restarts: { unit: 'count', label: 'restarts', sli: false },
  [CALL_SHARE_METRIC]: { unit: '', label: 'calls per request served', sli: false },
};

/**
 * The unit and readable name of a metric, from the table above (rootgraph's own series) or Prometheus
 * naming conventions. `namedUnitsOnly`: a unit only where the name says it (an offline case's
 * latency_p50 may be in seconds or in ms), the table's readable name still.
 */
export function metricInfo(metric: string, o: { namedUnitsOnly?: boolean } = {}): MetricInfo {
  const known = KNOWN[metric];
  if (known && !o.namedUnitsOnly) return known;
  const named = unitFromName(metric);
  return known ? { ...named, label: known.label, sli: known.sli } : named;
}

/** Units exports write in brackets after a name (Nezha's `PodServerLatencyP90(s)`, `CpuUsageRate(%)`). */
const BRACKETED: Record<string, MetricInfo['unit']> = {
  s: 's',
  sec: 's',
  seconds: 's',
  ms: 'ms',
  '%': '%',
  mi: 'MiB',
  mib: 'MiB',
  b: 'bytes',
  bytes: 'bytes',
  'b/s': 'bytes/s',
  'bytes/s': 'bytes/s',
  'req/s': 'req/s',
  qps: 'req/s',
};

function unitFromName(column: string): MetricInfo {
  // A replica's column (`memory_rss@mhzxg`) is its metric's, said of the replica.
  const { metric: name, replica } = splitReplica(column);
  if (replica !== undefined) {
    const info = unitFromName(name);
    return { ...info, label: `${KNOWN[name]?.label ?? info.label} (replica ${replica})` };
  }
  const bracket = /^(.+?)\s*\(([^()]+)\)$/.exec(name);
  if (bracket) {
    const label = normaliseMetricName(bracket[1]).replaceAll('_', ' ');
    return { unit: BRACKETED[bracket[2].toLowerCase()] ?? '', label, sli: isSliMetric(bracket[1]) };
  }
  return unitFromPlainName(name);
}

function unitFromPlainName(metric: string): MetricInfo {
  const label = metric.replaceAll('_', ' ');
  if (/_seconds(_(sum|bucket|count))?$/.test(metric)) return { unit: 's', label, sli: /latency|duration/.test(metric) };
  if (/_(ms|milliseconds)$/.test(metric)) return { unit: 'ms', label, sli: /latency|duration/.test(metric) };
  if (/_ratio$|_percent$/.test(metric)) return { unit: 'ratio', label, sli: /error/.test(metric) };
  if (/_bytes$/.test(metric)) return { unit: 'bytes', label, sli: false };
  if (/_total$|_count$/.test(metric)) return { unit: 'count', label, sli: false };
  return { unit: '', label, sli: false };
}

/** `v` to `digits` significant digits, without exponent notation or trailing zeros. */
export function sig(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 10 ** digits) return Math.round(v).toLocaleString('en-US');
  const decimals = Math.min(6, Math.max(0, digits - 1 - Math.floor(Math.log10(abs))));
  return Number(v.toFixed(decimals)).toLocaleString('en-US', { maximumFractionDigits: decimals });
}

/** A whole count with thousands separators: 3344 → "3,344". */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** "1 alert" / "3 alerts". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** A ratio (0..1) as a percentage: 0.0022 → "0.22 %". */
export const percent = (ratio: number): string => `${sig(ratio * 100)} %`;

function bytes(v: number, suffix = ''): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = v;
  while (Math.abs(x) >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${sig(x)} ${units[i]}${suffix}`;
}

/** A value of `metric` with its unit: latency_p99 291.57 → "292 ms", error_rate 0.6985 → "69.9 %". */
export function formatMetricValue(metric: string, v: number, o: { namedUnitsOnly?: boolean } = {}): string {
  if (!Number.isFinite(v)) return 'n/a';
  switch (metricInfo(metric, o).unit) {
    case 'ms':
      return Math.abs(v) >= 1000 ? `${sig(v / 1000)} s` : `${sig(v)} ms`;
    case 's':
      return Math.abs(v) < 1 ? `${sig(v * 1000)} ms` : `${sig(v)} s`;
    case 'ratio':
      return percent(v);
    case '%':
      return `${sig(v)} %`;
    case 'req/s':
      return `${sig(v)} req/s`;
    case 'cores':
      return `${sig(v)} cores`;
    case 'MiB':
      return Math.abs(v) >= 1024 ? `${sig(v / 1024)} GiB` : `${sig(v)} MiB`;
    case 'bytes':
      return bytes(v);
    case 'bytes/s':
      return bytes(v, '/s');
    case 'count':
      return sig(v);
    default:
      return sig(v);
  }
}

/** Said of a suspect whose SLIs are measured and stayed normal (Explanation.slisNormal). */
export const SLIS_NORMAL = 'its own latency and errors stayed normal';

/**
 * A metric move as one phrase: "memory 54.2 MiB → 65.8 MiB (17.6σ above normal)". `z` is a robust
 * z-score (how many spreads away from normal); the phrase says the direction.
 */
export function formatMetricMove(
  m: {
    metric: string;
    z: number;
    normal?: number;
    peak?: number;
    of?: string;
    lessCalledBy?: string;
    echoOf?: string;
  },
  o: { namedUnitsOnly?: boolean } = {},
): string {
  const info = metricInfo(m.metric, o);
  const of = m.of !== undefined ? ` (to ${shortName(m.of)})` : '';
  const range =
    m.normal !== undefined && m.peak !== undefined && Number.isFinite(m.normal) && Number.isFinite(m.peak)
      ? ` ${formatMetricValue(m.metric, m.normal, o)} → ${formatMetricValue(m.metric, m.peak, o)}`
      : '';
  const dir = m.peak !== undefined && m.normal !== undefined && m.peak < m.normal ? 'below' : 'above';
  const because =
    m.lessCalledBy !== undefined
      ? `; ${shortName(m.lessCalledBy)} calls it less`
      : m.echoOf !== undefined
        ? `; likely ${shortName(m.echoOf)}'s trouble: it calls ${shortName(m.echoOf)}, which moved more, and the alarm's service does not call it`
        : '';
  const z = Number.isFinite(m.z)
    ? ` (${sig(Math.abs(m.z))}σ ${dir} normal${because})`
    : because && ` (${because.slice(2)})`;
  return `${info.label}${of}${range}${z}`;
}

/**
 * A person or group as chat shows it: Slack ids become mentions (`<@U123>`, `<!subteam^S123>`), which
 * Slack renders as names; console names stay as they are.
 */
export function mention(id: string, kind: 'user' | 'group' = 'user'): string {
  if (kind === 'user' && /^[UW][A-Z0-9]{6,}$/.test(id)) return `<@${id}>`;
  if (kind === 'group' && /^S[A-Z0-9]{6,}$/.test(id)) return `<!subteam^${id}>`;
  return kind === 'group' ? `group ${id}` : id;
}
