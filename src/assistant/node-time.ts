import type { NodeRecord, PropValue } from '../model/graph.js';

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
