/**
 * What evidence a case had and the caveats a ranking states about it: missing modalities, a short or
 * missing baseline, a guessed entry, and spans or log lines that all lie outside the incident window
 * (a time unit slip in an export: milliseconds for seconds) rather than silently counting for nothing.
 * Pure.
 */
import type { LogIn } from './log-evidence.js';
import type { SpanIn } from './microrank.js';
import type { WindowSplit } from './windows.js';

/** What evidence a case had, for the confidence a ranking may claim. */
export interface Coverage {
  metrics: boolean;
  /** Spans / log lines in the incident window (some given but none there counts as none). */
  traces: boolean;
  logs: boolean;
  changes: boolean;
  /** Spans / log lines given, wherever they lie. */
  spansGiven: number;
  logLinesGiven: number;
  /** Normal operation covered (samples × step), seconds (0 = none). */
  baselineS: number;
  baselineSamples: number;
  /** Whether the alarm named its entity / its metric. */
  entryGiven: boolean;
  entryMetricGiven: boolean;
}

/** Thresholds of the notes. */
export interface CoverageOptions {
  /** Fewer normal samples than this, or less normal history than `minBaselineS`, is a short baseline. */
  minBaselineSamples: number;
  minBaselineS: number;
  /** Seconds after the start that are the incident window. */
  windowAfter: number;
}

/** The coverage of one case's evidence around `incident.start` (unix seconds). */
export function coverageOf(
  input: {
    seriesCount: number;
    spans: readonly SpanIn[];
    logs: readonly LogIn[];
    changes: number;
    incident: { start: number; entry?: string; entryMetric?: string };
  },
  split: WindowSplit,
  windowAfter: number,
): Coverage {
  const from = input.incident.start,
    to = from + windowAfter;
  const spansIn = input.spans.some((s) => s.startNs / 1e9 >= from && s.startNs / 1e9 <= to);
  return {
    metrics: input.seriesCount > 0,
    traces: spansIn,
    logs: input.logs.some((l) => l.timestamp >= from && l.timestamp <= to),
    changes: input.changes > 0,
    spansGiven: input.spans.length,
    logLinesGiven: input.logs.length,
    // Normal time covered, wherever it lies (before the incident, after it, or both).
    baselineS: split.normal.length * split.step,
    baselineSamples: split.normal.length,
    entryGiven: Boolean(input.incident.entry),
    entryMetricGiven: Boolean(input.incident.entryMetric),
  };
}

/** Caveats for a ranking, in plain language (empty when nothing is missing). */
export function notesFor(c: Coverage, o: Pick<CoverageOptions, 'minBaselineSamples' | 'minBaselineS'>): string[] {
  const notes: string[] = [];
  if (!c.metrics) notes.push('no metrics');
  else if (c.baselineSamples === 0) notes.push('no normal history before the start: metric moves cannot be judged');
  else if (c.baselineSamples < o.minBaselineSamples || c.baselineS < o.minBaselineS)
    notes.push(
      `short baseline (${c.baselineSamples} samples, ${Math.round(c.baselineS / 60)} min): metric moves are uncertain`,
    );
  if (!c.traces)
    notes.push(
      c.spansGiven > 0
        ? `no traces in the incident window (${plural(c.spansGiven, 'span')} given, none within an hour after the start: is their time in unix nanoseconds?)`
        : 'no traces',
    );
  if (!c.logs)
    notes.push(
      c.logLinesGiven > 0
        ? `no logs in the incident window (${plural(c.logLinesGiven, 'line')} given, none within an hour after the start: is their time in unix seconds?)`
        : 'no logs',
    );
  if (!c.entryGiven) notes.push('the alarm named no entity: the entry was guessed');
  return notes;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
