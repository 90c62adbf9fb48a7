/**
 * Log anomaly checks per service and window, over template counts (template-windows.ts):
 * - new templates: a template never seen before in the service (He et al., "Experience Report:
 *   System Log Analysis for Anomaly Detection", ISSRE 2016, treat unseen events as anomalies);
 * - error bursts: error/fatal-level lines far above the baseline's share of errors;
 * - frequency deviation: a template's count far from its baseline share of the window's volume.
 * Baselines use robust statistics (median and MAD of per-window shares, Rousseeuw & Croux 1993)
 * on a variance-stabilised Poisson scale, so traffic changes and small counts do not raise alarms.
 * Pure: plain windows in, plain anomaly records out.
 */
import { type ServiceRef, serviceKey, serviceRefOf } from './service-ref.js';
import { type TemplateInfo, type TemplateWindow, templateKey } from './template-windows.js';

/** Knobs of the checks; the defaults suit one-minute windows and a baseline of an hour or more. */
export const DEFAULTS = {
  /** Fewer baseline windows than this for a service: no check runs for it (nothing to compare). */
  minBaselineWindows: 5,
  /** A new template is reported when it holds this many error lines, or `newTemplateMinLines` lines. */
  newTemplateMinErrors: 3,
  newTemplateMinLines: 5,
  /** Robust z-score above which an error burst or a frequency deviation is reported. */
  zThreshold: 5,
  /** … and the excess over the expected count must be at least this many lines. */
  minExcessLines: 10,
  /** Evidence: templates listed per anomaly, most lines first. */
  maxEvidence: 5,
};

export type LogCheckOptions = typeof DEFAULTS;

export type LogAnomalyKind = 'new-template' | 'error-burst' | 'template-frequency';

/** One finding: which service (name, namespace, cluster) and window, how strong, and the template texts behind it. */
export interface LogAnomaly extends ServiceRef {
  kind: LogAnomalyKind;
  /** Window [start, end), unix milliseconds. */
  start: number;
  end: number;
  /** Robust z-score (new templates: lines in the window). Higher is stronger. */
  score: number;
  /** Template ids (of the service's miner), most lines first, at most `maxEvidence`. */
  templateIds: string[];
  /** Every template id behind the finding (lines of these templates are the anomalous ones). */
  allTemplateIds: string[];
  /** The templates' texts, in the same order: what an engineer reads. */
  evidence: string[];
  /** One sentence for a person. */
  summary: string;
}

const SIGMA_PER_MAD = 1.4826;
/** One-sided 97.7 % level: a template's own excess that is not chance (the conventional two sigma). */
const BURST_MEMBER_Z = 2;
/** Templates expected to hold fewer lines are too noisy to estimate the window's volume. */
const MIN_EXPECTED_FOR_VOLUME = 5;

/**
 * Runs the three checks on each window of `current` against the same service's `baseline`
 * windows (same name, namespace and cluster: serviceKey). Windows of `current` are taken in time
 * order, and a template seen in an earlier current window is no longer new. Pure and deterministic;
 * results in (service key, start, kind) order.
 */
export function detectLogAnomalies(
  input: {
    baseline: readonly TemplateWindow[];
    current: readonly TemplateWindow[];
    templates: ReadonlyMap<string, TemplateInfo>;
    /** Per serviceKey: template ids known from before the baseline (a stream's long memory). */
    known?: ReadonlyMap<string, ReadonlySet<string>>;
  },
  options: Partial<LogCheckOptions> = {},
): LogAnomaly[] {
  const o = { ...DEFAULTS, ...options };
  const base = groupByService(input.baseline);
  const out: LogAnomaly[] = [];
  for (const [key, windows] of groupByService(input.current)) {
    const history = base.get(key) ?? [];
    if (history.length < o.minBaselineWindows) continue;
    const stats = baselineStats(history);
    for (const id of input.known?.get(key) ?? []) stats.seen.add(id);
    const service = serviceRefOf(windows[0]);
    const text = (id: string) => input.templates.get(templateKey(service, id))?.text ?? `template ${id}`;
    for (const w of windows) {
      const volume = robustVolume(w, stats);
      const found = [newTemplates(w, stats, o), errorBurst(w, stats, o, volume), frequencyShift(w, stats, o, volume)];
      for (const f of found) {
        if (!f) continue;
        const ids = f.ids.slice(0, o.maxEvidence);
        out.push({
          kind: f.kind,
          ...service,
          start: w.start,
          end: w.end,
          score: f.score,
          templateIds: ids,
          allTemplateIds: f.ids,
          evidence: ids.map(text),
          summary: f.summary,
        });
      }
      for (const id of w.counts.keys()) stats.seen.add(id);
    }
  }
  return out;
}

interface BaselineStats {
  seen: Set<string>;
  /** Median and MAD of the error share per window. */
  errShare: { median: number; mad: number };
  /** Per template: median and MAD of its share per window (absent windows count as 0). */
  share: Map<string, { median: number; mad: number; errorShare: number }>;
}

type Finding = { kind: LogAnomalyKind; score: number; ids: string[]; summary: string } | undefined;

function baselineStats(history: TemplateWindow[]): BaselineStats {
  const seen = new Set<string>();
  const lines = new Map<string, number>();
  const errs = new Map<string, number>();
  for (const w of history) {
    for (const [id, c] of w.counts) {
      seen.add(id);
      lines.set(id, (lines.get(id) ?? 0) + c);
      errs.set(id, (errs.get(id) ?? 0) + (w.errorCounts.get(id) ?? 0));
    }
  }
  const share = new Map<string, { median: number; mad: number; errorShare: number }>();
  const xs = new Float64Array(history.length);
  for (const id of seen) {
    history.forEach((w, i) => (xs[i] = (w.counts.get(id) ?? 0) / w.total));
    share.set(id, { ...medianMad(xs), errorShare: (errs.get(id) ?? 0) / (lines.get(id) as number) });
  }
  history.forEach((w, i) => (xs[i] = w.errors / w.total));
  return { seen, errShare: medianMad(xs), share };
}

function newTemplates(w: TemplateWindow, s: BaselineStats, o: LogCheckOptions): Finding {
  const ids = [...w.counts.keys()]
    .filter((id) => !s.seen.has(id))
    .filter(
      (id) =>
        (w.errorCounts.get(id) ?? 0) >= o.newTemplateMinErrors || (w.counts.get(id) as number) >= o.newTemplateMinLines,
    )
    .sort(byCount(w.counts));
  if (ids.length === 0) return undefined;
  const lines = ids.reduce((n, id) => n + (w.counts.get(id) as number), 0);
  return {
    kind: 'new-template',
    score: lines,
    ids,
    summary: `${ids.length} new log template(s) in ${w.service}, ${lines} line(s)`,
  };
}

/**
 * The window's volume as the usual templates see it: the median, over templates expected to hold
 * a few lines, of count / baseline share. One template collapsing or a burst of new lines does not
 * move it, so the other templates' expected counts stay right (plain totals would shift them all).
 */
function robustVolume(w: TemplateWindow, s: BaselineStats): number {
  const ratios: number[] = [];
  for (const [id, st] of s.share) {
    if (st.median * w.total >= MIN_EXPECTED_FOR_VOLUME) ratios.push((w.counts.get(id) ?? 0) / st.median);
  }
  return ratios.length === 0 ? w.total : mid(Float64Array.from(ratios).sort());
}

function errorBurst(w: TemplateWindow, s: BaselineStats, o: LogCheckOptions, volume: number): Finding {
  const expected = s.errShare.median * volume;
  const z = robustZ(w.errors, expected, s.errShare.mad * volume);
  if (z < o.zThreshold || w.errors - expected < o.minExcessLines) return undefined;
  const ids = burstTemplates(w, s, volume);
  if (ids.length === 0) return undefined;
  return {
    kind: 'error-burst',
    score: z,
    ids,
    summary: `${w.errors} error line(s) in ${w.service}, ${expected.toFixed(1)} expected`,
  };
}

/**
 * The templates a burst is made of: those whose own error lines are significantly above what their
 * baseline share leads to expect (Anscombe z ≥ BURST_MEMBER_Z), most lines first. Templates that
 * merely have an error line in the window (one line of a register dump) are not named.
 */
function burstTemplates(w: TemplateWindow, s: BaselineStats, volume: number): string[] {
  const ids: string[] = [];
  for (const [id, x] of w.errorCounts) {
    const st = s.share.get(id);
    const expected = st ? st.median * st.errorShare * volume : 0;
    if (robustZ(x, expected, 0) >= BURST_MEMBER_Z) ids.push(id);
  }
  return ids.sort(byCount(w.errorCounts));
}

function frequencyShift(w: TemplateWindow, s: BaselineStats, o: LogCheckOptions, volume: number): Finding {
  const hits: Array<{ id: string; z: number }> = [];
  for (const [id, st] of s.share) {
    // Error templates are the error-burst check's business; report each finding once.
    if (st.errorShare > 0.5) continue;
    const x = w.counts.get(id) ?? 0;
    // Share test: the template's share of this window's lines.
    const byShare = st.median * w.total;
    const zShare = robustZ(x, byShare, st.mad * w.total);
    // Volume test: against the volume the other usual templates imply. Shares alone would also
    // flag every other template when one collapses; requiring both keeps the one that moved.
    const byVolume = st.median * volume;
    const zVolume = robustZ(x, byVolume, st.mad * volume);
    const z =
      Math.sign(zShare) === Math.sign(zVolume) ? Math.sign(zShare) * Math.min(Math.abs(zShare), Math.abs(zVolume)) : 0;
    if (Math.abs(z) >= o.zThreshold && Math.min(Math.abs(x - byShare), Math.abs(x - byVolume)) >= o.minExcessLines)
      hits.push({ id, z });
  }
  if (hits.length === 0) return undefined;
  hits.sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || (a.id < b.id ? -1 : 1));
  return {
    kind: 'template-frequency',
    score: Math.abs(hits[0].z),
    ids: hits.map((h) => h.id),
    summary: `${hits.length} log template(s) in ${w.service} far from their usual frequency`,
  };
}

/**
 * z-score of a count against its expected value on Anscombe's variance-stabilised scale
 * (2·(√(x+3/8) − √(e+3/8)) is ≈ N(0,1) for Poisson counts, also small ones), widened when the
 * baseline's MAD shows more spread than Poisson (overdispersion).
 */
function robustZ(x: number, expected: number, madCount: number): number {
  const z = 2 * (Math.sqrt(x + 0.375) - Math.sqrt(expected + 0.375));
  const poisson = Math.sqrt(Math.max(expected, 1));
  return z * Math.min(1, poisson / Math.max(SIGMA_PER_MAD * madCount, 1e-12));
}

/** Median and median absolute deviation. Sorts a copy. */
export function medianMad(xs: Float64Array): { median: number; mad: number } {
  if (xs.length === 0) return { median: 0, mad: 0 };
  const sorted = Float64Array.from(xs).sort();
  const median = mid(sorted);
  const dev = sorted.map((x) => Math.abs(x - median)).sort();
  return { median, mad: mid(dev) };
}

function mid(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

const byCount = (m: Map<string, number>) => (a: string, b: string) =>
  (m.get(b) as number) - (m.get(a) as number) || (a < b ? -1 : 1);

/** Windows per serviceKey, each list in time order, keys sorted. */
function groupByService(windows: readonly TemplateWindow[]): Map<string, TemplateWindow[]> {
  const m = new Map<string, TemplateWindow[]>();
  for (const w of windows) {
    const key = serviceKey(w);
    const list = m.get(key);
    if (list) list.push(w);
    else m.set(key, [w]);
  }
  for (const list of m.values()) list.sort((a, b) => a.start - b.start);
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
