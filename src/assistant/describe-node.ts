import type { NodeRecord, PropValue } from '../model/graph.js';
import { shortName } from '../model/short-name.js';
import { count, formatMetricMove, sig } from './format.js';
import { nodeTime } from './node-time.js';
import type { Evidence } from './reply.js';
import { formatAge } from './time-phrases.js';

export { nodeTime, toMs } from './node-time.js';

const num = (v: PropValue | undefined): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const text = (v: PropValue | undefined): string | undefined => (typeof v === 'string' && v ? v : undefined);
const ago = (n: NodeRecord, now: number) => {
  const t = nodeTime(n);
  return t === undefined ? '' : ` (${formatAge(now - t)} ago)`;
};

/** The entity an Anomaly, Alert or Change is about, by name (never a uid). */
export function subjectOf(n: NodeRecord): string | undefined {
  const p = n.props;
  const e = text(p.entity) ?? text(p.service) ?? text(p.name);
  return e === undefined ? undefined : shortName(e);
}

function describeAnomaly(n: NodeRecord, now: number): string {
  const p = n.props;
  const on = subjectOf(n);
  const where = on ? `\`${on}\` ` : '';
  if (p.source === 'k8s')
    return `${where}${text(p.reason) ?? 'event'} ×${count(num(p.count) ?? 1)}: ${text(p.summary) ?? ''}${ago(n, now)}`;
  if (p.source === 'logs') return `${where}log ${text(p.kind) ?? 'anomaly'}: ${text(p.summary) ?? ''}${ago(n, now)}`;
  if (p.kind === 'log-template') {
    const lines = num(p.windowCount);
    return `${where}log \`${text(p.summary) ?? '?'}\`${lines !== undefined ? ` ×${count(lines)} in the incident window (${sig(num(p.expected) ?? 0)} expected)` : ''}${ago(n, now)}`;
  }
  const metric = text(p.metric) ?? '?';
  const z = num(p.z);
  if (z !== undefined)
    return `${where}${formatMetricMove({ metric, z, normal: num(p.normal), peak: num(p.peak) })}${p.incident !== undefined ? ` — evidence of incident #${String(p.incident)}` : ''}${ago(n, now)}`;
  return `${where}\`${metric}\` anomalous, ${p.detector ?? 'detector'} score ${sig(num(p.score) ?? Number.NaN)}${ago(n, now)}`;
}

/** One line saying what an Anomaly, Alert, Change or LogTemplate node records, with entity and units. */
export function describeNode(n: NodeRecord, now: number): string {
  const p = n.props;
  switch (n.label) {
    case 'Anomaly':
      return describeAnomaly(n, now);
    case 'Alert':
      return `alert \`${text(p.name) ?? text(p.fingerprint) ?? '?'}\` ${text(p.status) ?? ''}${p.severity ? ` [${String(p.severity)}]` : ''}${p.summary ? ` — ${String(p.summary)}` : ''}${ago(n, now)}`;
    case 'Change': {
      const what = text(p.description) ?? text(p.summary) ?? 'changed';
      const kind = text(p.kind) ?? 'change';
      return `${kind}${p.name ? ` \`${String(p.name)}\`` : ''}: ${what}${p.by ? ` by ${String(p.by)}` : ''}${ago(n, now)}`;
    }
    case 'LogTemplate':
      return `log template \`${text(p.template) ?? '?'}\` (${num(p.count) !== undefined ? count(num(p.count)!) : '?'} lines)`;
    default:
      return `${n.label} ${text(p.name) ?? shortName(n.uid)}`;
  }
}

/** The node as evidence an answer cites. */
export function toEvidence(n: NodeRecord, now: number): Evidence {
  return { uid: n.uid, label: n.label, summary: describeNode(n, now) };
}
