/**
 * Modality ablation for offline cases: take signals out of a case after it is read and before it is
 * analysed, so `eval rca --without …` shows what each signal is worth on a user's own cases.
 */
import { indexSpans } from '../rca/span-index.js';
import { clientSpanFlags } from '../rca/trace-shift.js';
import { parseChoiceList } from './choice-list.js';
import type { CaseData, CaseIncident, CaseSpan } from './types.js';

/** The signals a case can be stripped of, in the order they are listed to users. */
export const SIGNALS = ['traces', 'logs', 'topology', 'metrics', 'levels', 'status', 'entry', 'client-spans'] as const;

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
 * entry → incident.entry and entryMetric removed; client-spans → every client span (a span whose parent
 * is its own service's and whose children all belong to one other service) removed, its children
 * under its parent, as server-only instrumentation would have written the trace. Pure.
 */
export function withoutSignals(c: CaseData, drop: ReadonlySet<Signal>): CaseData {
  if (drop.size === 0) return c;
  return {
    ...c,
    series: drop.has('metrics') ? [] : c.series,
    topology: drop.has('topology') ? [] : c.topology,
    spans: drop.has('traces') ? [] : spansWithout(c.spans, drop),
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

function spansWithout(spans: CaseSpan[], drop: ReadonlySet<Signal>): CaseSpan[] {
  const kept = drop.has('client-spans') ? withoutClientSpans(spans) : spans;
  return drop.has('status') ? kept.map((s) => ({ ...s, status: '' })) : kept;
}

// Client spans out, their children re-parented to the client span's parent; again until none is left
// (a retry's attempts sit in a client span of their own, which becomes one once they are gone).
function withoutClientSpans(spans: CaseSpan[]): CaseSpan[] {
  for (let current = spans; ;) {
    const next = clientSpansOut(current);
    if (next.length === current.length) return next;
    current = next;
  }
}

// One pass, by trace-shift.ts's own rule (clientSpanFlags); a child goes under the parent of the span
// its parent id stands for (the last with that id, as span-index.ts resolves it).
function clientSpansOut(spans: CaseSpan[]): CaseSpan[] {
  const ix = indexSpans(spans);
  const client = clientSpanFlags(ix);
  if (!client.includes(1)) return spans;
  return spans.flatMap((s, i) => {
    if (client[i]) return [];
    const p = ix.parent[i];
    return [p >= 0 && client[p] ? { ...s, parentSpanId: spans[p].parentSpanId } : s];
  });
}

function withoutEntry(incident: CaseIncident): CaseIncident {
  const out = { ...incident };
  delete out.entry;
  delete out.entryMetric;
  return out;
}
