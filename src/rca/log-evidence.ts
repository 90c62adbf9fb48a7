/**
 * Log evidence per entity, two views of the same lines:
 * - templates: lines at warning level or above in the incident window against their normal rate, by
 *   template (the log miner's masking of numbers with units, hex, ids, paths: src/logs/mask.ts): the largest Poisson z of a template's window count over its expected count, a template
 *   never seen in normal operation expected at a floor rate. New or surging warnings count: a delayed or
 *   retrying service often says so at WARN long before anything fails.
 * - error-level ratio: the share of the entity's lines at warning level or above, window against normal,
 *   as a two-proportion z (a service whose every other line became an error is anomalous even when its
 *   error templates were all seen before and its volume moved with traffic).
 * Score = the larger of the two. A writer none of whose lines states a level (and none could be read
 * from its text, message-level.ts) has every line judged: its new or surging templates of any kind.
 */
import { templateText } from '../logs/mask.js';
import { proportionZ } from './robust.js';

export const DEFAULTS = {
  /** Seconds after the start that count as the incident window. */
  windowAfter: 3600,
  /**
   * Seconds before the start excluded from normal (the fault may be brewing); shrunk to a quarter of
   * the log history there is, as windows.ts does for metrics, so a short history keeps a baseline.
   */
  guardBefore: 600,
  /** Levels (lower case) counted as abnormal: warning and above. */
  errorLevels: ['warn', 'warning', 'error', 'err', 'fatal', 'critical', 'crit', 'severe', 'panic', 'alert', 'emerg'],
  /** Expected count floor for a template with no normal history. */
  floor: 0.5,
};

/** The log fields needed (CaseLog fits). */
export interface LogIn {
  timestamp: number;
  entity: string;
  level: string;
  message: string;
  /** Identical lines this record stands for (a template's count in one window); 1 when absent. */
  count?: number;
}

export interface LogTemplateHit {
  template: string;
  /** The service that wrote the lines, when they are its report on this one (LogBlame). */
  reportedBy?: string;
  windowCount: number;
  expected: number;
  z: number;
}

export interface EntityLogEvidence {
  entity: string;
  /** The larger of the template and error-ratio z's: the log component's score. */
  score: number;
  /**
   * The same without the entity's reports of its own slowness (`isLatencyReport`): what its logs say
   * about its own state. A slow-request warning is the log form of a latency SLI, which includes
   * everything the entity calls, so it explains nothing about its callers.
   */
  ownScore: number;
  templates: LogTemplateHit[];
  /** Share of the entity's lines at warning level or above: in normal operation and in the window. */
  errorRatio: { normal: number; window: number; z: number };
}

/**
 * A measured time in a template (`took <*>`, `latency=<*>`, `elapsed: <*>`) or a slow request, query
 * or call: how a service reports how long its work took.
 */
const LATENCY_REPORT =
  /\bslow(er)?\s+(request|query|call|response|operation|sql|transaction)s?\b|\btook\s+<\*>|\b(latency|elapsed|duration)\b["']?\s*[=:]?\s*["']?<\*>/i;
/** Words of a failure: such a line is the writer's error, whatever else it says. */
const FAILURE_WORDS = /\b(fail(s|ed|ure)?|errors?|exceptions?|invalid|refused|denied|panic|timeout|timed out)\b/i;

/**
 * True for a template that reports a request's or query's time and no failure (the log form of a
 * latency SLI): `slow request: GET <*> took <*>`, not `failed to place order, took <*>`.
 */
export function isLatencyReport(template: string): boolean {
  return LATENCY_REPORT.test(template) && !FAILURE_WORDS.test(template);
}

/** Levels (lower case) of a warning, as opposed to an error: only a warning may be a slowness report. */
const WARNING_LEVELS: ReadonlySet<string> = new Set(['warn', 'warning']);

/**
 * Which entity an abnormal line is evidence about, given its writer and the line: the writer, or a
 * service it calls that the line names ("failed to call checkout/PlaceOrder: deadline exceeded" is
 * the caller's report on its callee, as a trace's caller→callee blame). See log-mentions.ts.
 */
export type LogBlame = (writer: string, message: string) => string;

/** Scores entities by error-log bursts around `start` (unix s). Pure. */
export function scoreLogs(
  logs: readonly LogIn[],
  start: number,
  opts: Partial<typeof DEFAULTS> & { blame?: LogBlame } = {},
): Map<string, EntityLogEvidence> {
  const o = { ...DEFAULTS, ...opts };
  const errors = new Set(o.errorLevels);
  let normalFrom = Infinity,
    normalTo = -Infinity,
    winTo = start;
  const counts = new Map<
    string,
    {
      entity: string;
      writer: string;
      template: string;
      normal: number;
      window: number;
      /** The template reads as a slowness report (`isLatencyReport`), and every line of it was a warning. */
      latencyReport: boolean;
      slowness: boolean;
    }
  >();
  // Per entity: all lines and abnormal lines, normal and window.
  const lines = new Map<string, { all: [number, number]; bad: [number, number] }>();
  let first = start;
  // Writers that state a level on some line; a writer that states none has every line judged.
  const levelled = new Set<string>();
  for (const l of logs) {
    first = Math.min(first, l.timestamp);
    if (l.level !== '') levelled.add(l.entity);
  }
  const guard = Math.min(o.guardBefore, (start - first) / 4);
  for (const l of logs) {
    const inWindow = l.timestamp >= start && l.timestamp <= start + o.windowAfter;
    const inNormal = l.timestamp < start - guard;
    if (inNormal) {
      normalFrom = Math.min(normalFrom, l.timestamp);
      normalTo = Math.max(normalTo, l.timestamp);
    }
    if (inWindow) winTo = Math.max(winTo, l.timestamp);
    if (!inWindow && !inNormal) continue;
    const level = l.level.toLowerCase();
    const bad = errors.has(level) || !levelled.has(l.entity);
    const n = l.count ?? 1;
    let e = lines.get(l.entity);
    if (!e) lines.set(l.entity, (e = { all: [0, 0], bad: [0, 0] }));
    const w = inWindow ? 1 : 0;
    e.all[w] += n;
    if (!bad) continue;
    const template = templateText(l.message);
    const key = `${l.entity}\u0000${template}`;
    let c = counts.get(key);
    if (!c) {
      // A line of no stated level is no report on anyone: it stays its writer's. Names are matched in
      // the line as written: masking turns a name with a digit (payments-v2) into a variable.
      const judged = o.blame && levelled.has(l.entity) ? o.blame : null;
      const about = judged ? judged(l.entity, l.message) : l.entity;
      const latencyReport = isLatencyReport(template);
      c = { entity: about, writer: l.entity, template, normal: 0, window: 0, latencyReport, slowness: latencyReport };
      counts.set(key, c);
    }
    // A warning that the writer's own work was slow is its latency SLI in words, inclusive of what it calls.
    const slowness = c.latencyReport && WARNING_LEVELS.has(level);
    c.slowness &&= slowness;
    // A report on a callee is not the writer's own failure, nor is a report of its own slowness:
    // either leaves the writer's error share alone.
    if (c.entity === l.entity && !slowness) e.bad[w] += n;
    if (inWindow) c.window += n;
    else c.normal += n;
  }
  const normalSpan = normalTo > normalFrom ? normalTo - normalFrom : 0;
  const winSpan = Math.max(1, winTo - start);
  const out = new Map<string, EntityLogEvidence>();
  for (const c of counts.values()) {
    if (c.window === 0) continue;
    const expected = Math.max(o.floor, normalSpan > 0 ? (c.normal / normalSpan) * winSpan : 0);
    const z = (c.window - expected) / Math.sqrt(expected);
    if (z <= 0) continue;
    let ev = out.get(c.entity);
    if (!ev) out.set(c.entity, (ev = emptyEvidence(c.entity)));
    const hit: LogTemplateHit = { template: c.template, windowCount: c.window, expected, z };
    if (c.writer !== c.entity) hit.reportedBy = c.writer;
    ev.templates.push(hit);
    ev.score = Math.max(ev.score, z);
    if (c.writer !== c.entity || !c.slowness) ev.ownScore = Math.max(ev.ownScore, z);
  }
  for (const [entity, e] of lines) {
    // Every line of a writer of no levels counts as judged: its share says nothing.
    if (!levelled.has(entity)) continue;
    const ratio = errorRatio(e.bad, e.all, o.floor);
    if (!(ratio.z > 0)) continue;
    let ev = out.get(entity);
    if (!ev) out.set(entity, (ev = emptyEvidence(entity)));
    ev.errorRatio = ratio;
    ev.score = Math.max(ev.score, ratio.z);
    ev.ownScore = Math.max(ev.ownScore, ratio.z);
  }
  for (const ev of out.values()) ev.templates.sort((a, b) => b.z - a.z);
  return out;
}

function emptyEvidence(entity: string): EntityLogEvidence {
  return { entity, score: 0, ownScore: 0, templates: [], errorRatio: { normal: 0, window: 0, z: 0 } };
}

/**
 * Two-proportion z of the abnormal-line share, window ([1]) against normal ([0]); the normal share is
 * smoothed by `floor` pseudo-lines (a few lines of normal history prove little). 0 without window lines.
 */
export function errorRatio(
  bad: readonly [number, number],
  all: readonly [number, number],
  floor: number,
): { normal: number; window: number; z: number } {
  if (all[1] === 0) return { normal: 0, window: 0, z: 0 };
  return { normal: (bad[0] + floor / 2) / (all[0] + floor), window: bad[1] / all[1], z: proportionZ(bad, all, floor) };
}
