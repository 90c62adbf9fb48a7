/**
 * Modality ablation for offline cases: take signals out of a case after it is read and before it is
 * analysed, so `eval rca --without …` shows what each signal is worth on a user's own cases.
 */
import { parseChoiceList } from './choice-list.js';
import type { CaseData, CaseIncident } from './types.js';

/** The signals a case can be stripped of, in the order they are listed to users. */
export const SIGNALS = ['traces', 'logs', 'topology', 'metrics', 'levels', 'status', 'entry'] as const;

/** One removable signal of a case. */
export type Signal = (typeof SIGNALS)[number];

/**
 * Parses a comma list of signal names (`traces,logs`; spaces around names and empty items ignored).
 * Throws InputError naming `--without` and listing the valid names on an unknown one. Pure.
 */
export function parseSignals(text: string): Set<Signal> {
  return parseChoiceList(text, SIGNALS, '--without', 'signal');
}

/**
 * `c` without the signals in `drop`, as a new object (`c` is not mutated; untouched parts are shared):
 * traces, logs, topology → no spans, log lines, edges (and `has` says the file was absent);
 * metrics → no series, timestamps kept; levels → every log line's level '' (a source with no level
 * information, after the reader's inference from the text); status → every span's status '';
 * entry → incident.entry and entryMetric removed. Pure.
 */
export function withoutSignals(c: CaseData, drop: ReadonlySet<Signal>): CaseData {
  if (drop.size === 0) return c;
  return {
    ...c,
    series: drop.has('metrics') ? [] : c.series,
    topology: drop.has('topology') ? [] : c.topology,
    spans: drop.has('traces') ? [] : drop.has('status') ? c.spans.map((s) => ({ ...s, status: '' })) : c.spans,
    logs: drop.has('logs') ? [] : drop.has('levels') ? c.logs.map((l) => ({ ...l, level: '' })) : c.logs,
    incident: drop.has('entry') ? withoutEntry(c.incident) : c.incident,
    has: {
      ...c.has,
      topology: c.has.topology && !drop.has('topology'),
      traces: c.has.traces && !drop.has('traces'),
      logs: c.has.logs && !drop.has('logs'),
    },
  };
}

function withoutEntry(incident: CaseIncident): CaseIncident {
  const out = { ...incident };
  delete out.entry;
  delete out.entryMetric;
  return out;
}
