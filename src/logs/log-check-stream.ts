/**
 * The log checks of the scheduled job (log-checks.ts: new templates, error bursts, template
 * frequency deviation) run over a stream of lines, with a verdict per line: each entity's lines
 * are mined into templates (its own miner, as the job does) and counted per window; when a window
 * closes it is checked against the entity's earlier windows, which are its normal history. The
 * first windows of an entity only teach (history covering fewer than `minBaselineWindows` time
 * windows: nothing to compare with), a template seen once is not new again, and windows with an
 * incident-worthy finding are kept out of the history while the incident lasts (`holdOutWindows`).
 * A line is anomalous when its level is one `flagLevels` admits and its template an
 * incident-worthy finding of its window names. The defaults were chosen on the simulator's
 * labelled runs (eval-sim-anomalies.ts), not on BGL. Deterministic; verdicts come out in input
 * order as soon as their window is decided.
 */
import { TemplateMiner } from './drain.js';
import { DEFAULTS as CHECK_DEFAULTS, detectLogAnomalies, type LogAnomaly, type LogCheckOptions } from './log-checks.js';
import { type ServiceRef, serviceKey, serviceRefOf } from './service-ref.js';
import { isErrorLevel, type LogLine, type TemplateInfo, type TemplateWindow, templateKey } from './template-windows.js';

/** Knobs of the stream; the checks' own knobs are log-checks.ts's DEFAULTS. */
export const DEFAULTS = {
  /** A window is an entity's next `windowLines` lines; 0: windows of `windowMs` (the job's). */
  windowLines: 0,
  /** Window length in milliseconds (the job's), when `windowLines` is 0. */
  windowMs: 60_000,
  /**
   * With windows of `windowMs`: an entity's window stays open across time windows until it holds
   * this many lines (a sparse entity's minutes are pooled), 0 for none. 20 = twice the checks'
   * `minExcessLines`: the fewest lines in which a burst can be reported at all.
   */
  minWindowLines: 20,
  /** Windows kept per entity as the baseline the checks compare with (the most recent ones). */
  historyWindows: 120,
  /**
   * A window with an incident-worthy finding (new template, error burst) is kept out of the baseline,
   * so an incident does not become the norm while it lasts; after this many such windows in a row
   * they join it again (a change that lasts that long is the new normal). 0: every window joins.
   */
  holdOutWindows: 30,
  /**
   * Which lines of a template a finding names are anomalous: error-or-worse lines (the job pages on
   * errors), warning-or-worse, or all of them. 'warn': on the simulator all levels score no
   * significantly better (setting-choice.ts; the narrower claim wins a tie), error lines alone worse.
   */
  flagLevels: 'warn' as FlagLevels,
};

/** Lowest level of a line a finding can flag. */
export type FlagLevels = 'error' | 'warn' | 'all';

export type LogCheckStreamOptions = typeof DEFAULTS & { checks: Partial<LogCheckOptions> };

/** The verdict on one input line. `line` counts from 1 in input order. */
export interface LineVerdict {
  line: number;
  anomalous: boolean;
  /** The strongest finding's score (new templates: lines; bursts and deviations: robust z); 0 if none. */
  score: number;
  /** Why, for a person: the finding and the line's template; '' for a normal line. */
  reason: string;
}

interface Pending {
  line: number;
  /** The line's serviceKey. */
  entity: string;
  templateId: string;
  /** The line's level is one a finding can flag (`flagLevels`). */
  flaggable: boolean;
  verdict?: LineVerdict;
}

interface EntityState {
  miner: TemplateMiner;
  history: TemplateWindow[];
  /** Windows kept out of the history in a row (see `holdOutWindows`). */
  heldOut: number;
  /** `miner.merges` when the history's ids were last resolved. */
  resolvedAt: number;
  /** Per history window: the time windows with lines it pools (1 unless `minWindowLines` pooled more). */
  spans: number[];
  /** Template ids ever seen in closed windows (ids as they were then; resolved when used). */
  seen: Set<string>;
  open?: { window: TemplateWindow; lines: Pending[]; spans: number; lastStart: number };
}

/** The checks over a stream of lines, one verdict per line. */
export class LogCheckStream {
  readonly options: LogCheckStreamOptions;
  private readonly entities = new Map<string, EntityState>();
  /** Lines not yet reported, in input order. */
  private readonly queue: Pending[] = [];
  private head = 0;
  private nextLine = 1;
  private latest = -Infinity;

  constructor(options: Partial<LogCheckStreamOptions> = {}) {
    this.options = { ...DEFAULTS, checks: {}, ...options };
  }

  /** Takes the next line; returns the verdicts now decided (in input order, perhaps none). */
  push(line: LogLine): LineVerdict[] {
    const { windowMs, windowLines, minWindowLines } = this.options;
    const start = windowLines > 0 ? line.timeMs : Math.floor(line.timeMs / windowMs) * windowMs;
    // A window is over once a line of a later window arrives (input in time order, per entity or not).
    if (windowLines === 0 && start > this.latest) {
      this.latest = start;
      for (const st of this.entities.values()) {
        if (st.open && st.open.window.start < start && st.open.window.total >= minWindowLines) this.close(st);
      }
    }
    const entity = serviceKey(line);
    let st = this.entities.get(entity);
    if (!st) {
      st = { miner: new TemplateMiner(), history: [], heldOut: 0, resolvedAt: 0, spans: [], seen: new Set() };
      this.entities.set(entity, st);
    }
    st.open ??= {
      window: {
        ...serviceRefOf(line),
        start,
        end: start + windowMs,
        total: 0,
        errors: 0,
        counts: new Map(),
        errorCounts: new Map(),
      },
      lines: [],
      spans: 0,
      lastStart: -Infinity,
    };
    const w = st.open.window;
    // Line-count windows are one unit each; time windows count the minutes with lines they pool.
    if (windowLines > 0) st.open.spans = 1;
    else if (start !== st.open.lastStart) {
      st.open.spans++;
      st.open.lastStart = start;
    }
    const id = st.miner.add(line.message).cluster.id;
    const error = isErrorLevel(line.level);
    w.total++;
    w.counts.set(id, (w.counts.get(id) ?? 0) + 1);
    if (error) {
      w.errors++;
      w.errorCounts.set(id, (w.errorCounts.get(id) ?? 0) + 1);
    }
    const p: Pending = {
      line: this.nextLine++,
      entity,
      templateId: id,
      flaggable: flaggable(line.level, error, this.options.flagLevels),
    };
    st.open.lines.push(p);
    this.queue.push(p);
    w.end = Math.max(w.end, line.timeMs + 1);
    if (windowLines > 0 && w.total >= windowLines) this.close(st);
    return this.drain();
  }

  /** Ends the stream: closes every window and returns the remaining verdicts. */
  end(): LineVerdict[] {
    for (const st of this.entities.values()) if (st.open) this.close(st);
    return this.drain();
  }

  /** Checks an entity's open window against its history, decides its lines, and files it. */
  private close(st: EntityState): void {
    const open = st.open;
    if (!open) return;
    st.open = undefined;
    const { miner } = st;
    const resolve = (counts: Map<string, number>) => {
      const out = new Map<string, number>();
      for (const [id, n] of counts) out.set(miner.resolve(id), (out.get(miner.resolve(id)) ?? 0) + n);
      return out;
    };
    // Clusters merge as the miner learns: compare windows under the ids as they stand now.
    const now = (w: TemplateWindow): TemplateWindow => ({
      ...w,
      counts: resolve(w.counts),
      errorCounts: resolve(w.errorCounts),
    });
    const current = now(open.window);
    const service = serviceRefOf(current);
    const templates = new Map<string, TemplateInfo>();
    for (const id of current.counts.keys()) {
      const c = miner.cluster(id);
      if (c) templates.set(templateKey(service, c.id), { ...service, id: c.id, text: c.template, size: c.size });
    }
    const known = new Set([...st.seen].map((id) => miner.resolve(id)));
    const checks = { ...CHECK_DEFAULTS, ...this.options.checks };
    // Warm-up counts the time windows the history covers, so pooling a sparse entity's minutes does
    // not lengthen it; the robust statistics tolerate few pooled windows (Poisson floor).
    const covered = st.spans.reduce((a, b) => a + b, 0);
    const findings =
      covered < checks.minBaselineWindows
        ? []
        : detectLogAnomalies(
            {
              baseline: this.history(st, now),
              current: [current],
              templates,
              known: new Map([[serviceKey(service), known]]),
            },
            { ...checks, minBaselineWindows: 1 },
          );
    for (const p of open.lines) p.verdict = verdictOf(p, miner.resolve(p.templateId), findings, templates, service);
    const paging = findings.some((f) => f.kind !== 'template-frequency');
    if (paging && st.heldOut < this.options.holdOutWindows) st.heldOut++;
    else {
      st.heldOut = 0;
      st.history.push(current);
      st.spans.push(open.spans);
      if (st.history.length > this.options.historyWindows) {
        st.history.shift();
        st.spans.shift();
      }
    }
    for (const id of current.counts.keys()) st.seen.add(id);
  }

  /** The entity's history under the ids as they stand now (re-resolved only after a merge). */
  private history(st: EntityState, now: (w: TemplateWindow) => TemplateWindow): TemplateWindow[] {
    if (st.resolvedAt !== st.miner.merges) {
      st.history = st.history.map(now);
      st.resolvedAt = st.miner.merges;
    }
    return st.history;
  }

  /** Pops the decided verdicts at the head of the queue. */
  private drain(): LineVerdict[] {
    const out: LineVerdict[] = [];
    while (this.head < this.queue.length && this.queue[this.head].verdict) {
      out.push(this.queue[this.head].verdict as LineVerdict);
      this.head++;
    }
    // Compact now and then so a long stream does not keep every line.
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return out;
  }
}

/**
 * A line is anomalous when its level is flaggable (`flagLevels`) and its template a finding that
 * opens an incident in the job names (new templates, error bursts). Frequency deviations are
 * context: the job records them but does not page on them, nor does the verdict.
 */
function verdictOf(
  p: Pending,
  id: string,
  findings: readonly LogAnomaly[],
  templates: ReadonlyMap<string, TemplateInfo>,
  service: ServiceRef,
): LineVerdict {
  let best: LogAnomaly | undefined;
  if (p.flaggable) {
    for (const f of findings) {
      if (f.kind === 'template-frequency' || !f.allTemplateIds.includes(id)) continue;
      if (!best || f.score > best.score) best = f;
    }
  }
  if (!best) return { line: p.line, anomalous: false, score: 0, reason: '' };
  const text = templates.get(templateKey(service, id))?.text ?? `template ${id}`;
  return {
    line: p.line,
    anomalous: true,
    score: round(best.score),
    reason: `${best.kind}: ${best.summary}; template "${text}"`,
  };
}

const WARN_LEVELS = new Set(['WARN', 'WARNING', 'W']);

/**
 * Whether `flagLevels` lets a finding flag a line of this level. A line without a level is
 * flaggable: the filter weighs the program's own severity, and where there is none (logs with no
 * level column) it has nothing to weigh, so the finding alone decides.
 */
function flaggable(level: string | undefined, error: boolean, levels: FlagLevels): boolean {
  const l = (level ?? '').trim().toUpperCase();
  if (levels === 'all' || error || l === '') return true;
  return levels === 'warn' && WARN_LEVELS.has(l);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
