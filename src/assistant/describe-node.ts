import type { NodeRecord, PropValue } from '../model/graph.js';
import type { Evidence } from './reply.js';
import { formatAge } from './time-phrases.js';

/**
 * Graph timestamps come in seconds (metric anomalies, rca changes) or ms (alerts, log anomalies);
 * anything below 1e11 is taken as seconds (1e11 s is year 5138, 1e11 ms is 1973).
 */
export function toMs(v: PropValue | undefined): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  return v < 1e11 ? v * 1000 : v;
}

/** When a node's observation happened (ms): an anomaly's end, an alert's start, a change's time. */
export function nodeTime(n: NodeRecord): number | undefined {
  const p = n.props;
  return toMs(p.end) ?? toMs(p.at) ?? toMs(p.timestamp) ?? toMs(p.startsAt) ?? toMs(p.start) ?? toMs(p.lastSeen);
}

const num = (v: PropValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(3)) : v);
const ago = (n: NodeRecord, now: number) => {
  const t = nodeTime(n);
  return t === undefined ? '' : ` (${formatAge(now - t)} ago)`;
};

/** One line saying what an Anomaly, Alert, Change or LogTemplate node records. */
export function describeNode(n: NodeRecord, now: number): string {
  const p = n.props;
  switch (n.label) {
    case 'Anomaly':
      if (p.source === 'logs') return `log ${p.kind ?? 'anomaly'}: ${p.summary ?? ''}${ago(n, now)}`;
      return `\`${p.metric ?? '?'}\` anomalous, score ${num(p.score)} (${p.detector ?? 'detector'})${ago(n, now)}`;
    case 'Alert':
      return `alert \`${p.name ?? p.fingerprint}\` ${p.status ?? ''}${p.severity ? ` [${p.severity}]` : ''}${p.summary ? ` — ${p.summary}` : ''}${ago(n, now)}`;
    case 'Change':
      return `${p.kind ?? 'change'}: ${p.description ?? p.summary ?? p.name ?? n.uid}${p.by ? ` by ${p.by}` : ''}${ago(n, now)}`;
    case 'LogTemplate':
      return `log template \`${p.template}\` (${p.count ?? '?'} lines)`;
    default:
      return `${n.label} ${p.name ?? n.uid}`;
  }
}

/** The node as evidence an answer cites. */
export function toEvidence(n: NodeRecord, now: number): Evidence {
  return { uid: n.uid, label: n.label, summary: describeNode(n, now) };
}
