/**
 * What evidence a case had and the caveats a ranking states about it: missing modalities, a short or
 * missing baseline, a guessed entry, and spans or log lines that all lie outside the incident window
 * (a day or more away: a time unit slip in an export, milliseconds for seconds) rather than silently
 * counting for nothing.
 * Pure.
 */
import type { LogIn } from './log-evidence.js';
import type { SpanIn } from './microrank.js';
import type { WindowSplit } from './windows.js';

/** What evidence a case had, for the confidence a ranking may claim. */
export interface Coverage {
  /** Metric rows within a day of the start (rows given but none that near counts as none). */
  metrics: boolean;
  /** Metric rows given, wherever they lie. */
  metricRowsGiven: number;
  /** Spans / log lines within a day of the start (some given but none that near counts as none). */
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
  /** The entity the alarm named when the case holds nothing of it (it was then guessed). */
  entryUnknown?: string;
  /** The metric the alarm named when its entity has no series of that name (the alarm metric was then guessed). */
  entryMetricUnknown?: string;
  /** Parent links among the spans that looped and were cut (span-index.ts); absent when none. */
  spanLoopsCut?: number;
  /** Spans naming a parent that is not among the spans (span-index.ts parentsMissing); absent when none. */
  spanParentsMissing?: number;
}

/**
 * Spans whose parent is missing, as a share of all, from which the notes say so. An export cut at a
 * window's edge orphans only the calls of traces that straddle the edge, a sliver of a window's;
 * a tenth means a caller that writes no spans (or whose spans were dropped).
 */
export const PARENTS_MISSING_NOTE_SHARE = 0.1;

/** Thresholds of the notes. */
export interface CoverageOptions {
  /** Fewer normal samples than this, or less normal history than `minBaselineS`, is a short baseline. */
  minBaselineSamples: number;
  minBaselineS: number;
}

/** Evidence this far from the start, either side, is about this incident's time at all (seconds). */
export const NEAR_S = 86_400;

/** The coverage of one case's evidence around `incident.start` (unix seconds). */
export function coverageOf(
  input: {
    seriesCount: number;
    /** The metric rows' unix seconds. */
    timestamps: ArrayLike<number>;
    spans: readonly SpanIn[];
    logs: readonly LogIn[];
    changes: number;
    incident: { start: number; entry?: string; entryMetric?: string };
    /** Parent links among the spans that looped and were cut (span-index.ts loopsCut). */
    spanLoopsCut?: number;
    /** Spans naming a parent not among the spans (span-index.ts parentsMissing). */
    spanParentsMissing?: number;
  },
  split: WindowSplit,
  entryUnknown: string | null = null,
  entryMetricUnknown: string | null = null,
): Coverage {
  // Near, not in the window: a live analysis may run before any line is stamped after the start.
  const near = (t: number) => Math.abs(t - input.incident.start) <= NEAR_S;
  const metrics = input.seriesCount > 0 && Array.prototype.some.call(input.timestamps, (t: number) => near(t));
  // Rows all far from the incident are no baseline for it, however many.
  const normal = metrics ? split.normal.length : 0;
  return {
    metrics,
    metricRowsGiven: input.seriesCount > 0 ? input.timestamps.length : 0,
    traces: input.spans.some((s) => near(s.startNs / 1e9)),
    logs: input.logs.some((l) => near(l.timestamp)),
    changes: input.changes > 0,
    spansGiven: input.spans.length,
    logLinesGiven: input.logs.length,
    // Normal time covered, wherever it lies (before the incident, after it, or both).
    baselineS: normal * split.step,
    baselineSamples: normal,
    entryGiven: Boolean(input.incident.entry),
    entryMetricGiven: Boolean(input.incident.entryMetric),
    ...(entryUnknown !== null ? { entryUnknown } : {}),
    ...(entryMetricUnknown !== null ? { entryMetricUnknown } : {}),
    ...(input.spanLoopsCut ? { spanLoopsCut: input.spanLoopsCut } : {}),
    ...(input.spanParentsMissing ? { spanParentsMissing: input.spanParentsMissing } : {}),
  };
}

/** Caveats for a ranking, in plain language (empty when nothing is missing). */
export function notesFor(c: Coverage, o: Pick<CoverageOptions, 'minBaselineSamples' | 'minBaselineS'>): string[] {
  const notes: string[] = [];
  if (!c.metrics)
    notes.push(
      c.metricRowsGiven > 0
        ? `no metrics near the incident (${plural(c.metricRowsGiven, 'row')} given, none within a day of the start: is their time in unix seconds?)`
        : 'no metrics',
    );
  else if (c.baselineSamples === 0) notes.push('no normal history before the start: metric moves cannot be judged');
  else if (c.baselineSamples < o.minBaselineSamples || c.baselineS < o.minBaselineS)
    notes.push(
      `short baseline (${c.baselineSamples} samples, ${Math.round(c.baselineS / 60)} min): metric moves are uncertain`,
    );
  if (!c.traces)
    notes.push(
      c.spansGiven > 0
        ? `no traces near the incident (${plural(c.spansGiven, 'span')} given, none within a day of the start: is their time in unix nanoseconds?)`
        : 'no traces',
    );
  if (!c.logs)
    notes.push(
      c.logLinesGiven > 0
        ? `no logs near the incident (${plural(c.logLinesGiven, 'line')} given, none within a day of the start: is their time in unix seconds?)`
        : 'no logs',
    );
  if (c.entryUnknown !== undefined)
    notes.push(
      `the alarm named "${c.entryUnknown}", which no metric, call edge, span or log line of the case names: the entry was guessed`,
    );
  else if (!c.entryGiven) notes.push('the alarm named no entity: the entry was guessed');
  if (c.entryMetricUnknown !== undefined)
    notes.push(
      `the alarm named the metric "${c.entryMetricUnknown}", which its entity has no series of: the alarm metric was guessed`,
    );
  if (c.spanLoopsCut)
    notes.push(
      `${plural(c.spanLoopsCut, 'loop')} of parent links among the spans (an export bug: no call is its own ancestor) cut at the earliest span, read as a root`,
    );
  const orphans = c.spanParentsMissing ?? 0;
  if (c.spansGiven > 0 && orphans >= PARENTS_MISSING_NOTE_SHARE * c.spansGiven)
    notes.push(
      `${orphans} of ${plural(c.spansGiven, 'span')} (${Math.round((100 * orphans) / c.spansGiven)} %) name a parent span the traces do not hold: whoever made those calls wrote no spans here, so the call graph lacks those calls`,
    );
  return notes;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
