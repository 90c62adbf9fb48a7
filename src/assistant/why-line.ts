/**
 * Why a suspect ranks where it does, in one line: its strongest metric move, log template, trace
 * finding and change, and the call path to the alarm. The incident card and `rootgraph rca` read the
 * same parts, so a suspect seen only in its logs says so on both. Pure.
 */
import { formatMetricMove, SLIS_NORMAL } from './format.js';
import { describeTraceShift } from '../model/trace-shift-words.js';
import { shortName } from '../model/short-name.js';
import type { Explanation } from '../rca/explain.js';

/** Said of a suspect with no metric, log, trace or change evidence: the graph alone placed it. */
export const NOTHING_MOVED = 'nothing of its own moved';

export interface WhyOptions {
  /** A unit only where the metric's name says it (an offline case's units are its own). */
  namedUnitsOnly?: boolean;
  /** Entity names as people say them (a pod's short name), not as stored. */
  shortNames?: boolean;
}

/** The evidence parts of a suspect's line, strongest kind first; empty when nothing of its own moved. */
export function evidenceParts(e: Explanation, o: WhyOptions = {}): string[] {
  const name = o.shortNames ? shortName : (s: string) => s;
  const parts: string[] = [];
  const m = e.metrics[0];
  if (m && m.harm > 0) parts.push(formatMetricMove(m, { namedUnitsOnly: o.namedUnitsOnly }));
  const log = e.logTemplates[0];
  if (log) parts.push(`log: ${log.template}${log.reportedBy ? ` (reported by ${name(log.reportedBy)})` : ''}`);
  if (e.traceShift) parts.push(`trace: ${describeTraceShift(e.traceShift)}`);
  // Every operation of an anomalous trace has a MicroRank score: its operation is named only where it leads.
  else if (e.trace && e.components.traces >= 1) parts.push(`trace: ${e.trace.operation}`);
  if (e.changes[0]) parts.push(`change: ${e.changes[0].description}`);
  if (e.slisNormal) parts.push(SLIS_NORMAL);
  return parts;
}

/** One line for a card: the evidence parts and the path, or that only the topology ranked it. */
export function whyLine(e: Explanation): string {
  const parts = evidenceParts(e, { shortNames: true });
  if (e.path && e.path.length > 1) parts.push(`path ${e.path.map(shortName).join(' → ')}`);
  return parts.length > 0 ? parts.join('; ') : `ranked by topology only (${NOTHING_MOVED})`;
}
