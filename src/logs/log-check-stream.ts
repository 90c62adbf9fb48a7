/**
 * The log checks of the scheduled job (log-checks.ts: new templates, error bursts, template
 * frequency deviation) run over a stream of lines, with a verdict per line: each entity's lines
 * are mined into templates (its own miner, as the job does) and counted per window; when a window
 * closes it is checked against the entity's earlier windows, which are its normal history. The
 * first windows of an entity only teach (fewer than `minBaselineWindows` windows: nothing to
 * compare with), and what was learnt is never forgotten: a template seen once is not new again.
 * A line is anomalous when it is an error line whose template an incident-worthy finding of its
 * window names. Deterministic; verdicts come out in input order as soon as their window is decided.
 */
import { TemplateMiner } from './drain.js';
import { DEFAULTS as CHECK_DEFAULTS, detectLogAnomalies, type LogAnomaly, type LogCheckOptions } from './log-checks.js';
import { isErrorLevel, type LogLine, type TemplateInfo, type TemplateWindow, templateKey } from './template-windows.js';

/** Knobs of the stream; the checks' own knobs are log-checks.ts's DEFAULTS. */
export const DEFAULTS = {
  /**
   * A window is an entity's next `windowLines` lines, so the checks see comparable windows in logs
   * of any rate (a sampled file, a chatty service). 20 = twice the checks' `minExcessLines`: the
   * smallest window in which a burst can be reported at all. 0: windows of `windowMs` instead.
   */
  windowLines: 20,
  /** Window length in milliseconds (the job's), when `windowLines` is 0. */
  windowMs: 60_000,
  /** Windows kept per entity as the baseline the checks compare with (the most recent ones). */
  historyWindows: 120,
};

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
  entity: string;
  templateId: string;
  error: boolean;
  verdict?: LineVerdict;
}

interface EntityState {
  miner: TemplateMiner;
  history: TemplateWindow[];
  /** Template ids ever seen in closed windows (ids as they were then; resolved when used). */
  seen: Set<string>;
  open?: { window: TemplateWindow; lines: Pending[] };
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
    const { windowMs, windowLines } = this.options;
    const start = windowLines > 0 ? line.timeMs : Math.floor(line.timeMs / windowMs) * windowMs;
    // A window is over once a line of a later window arrives (input in time order, per entity or not).
    if (windowLines === 0 && start > this.latest) {
      this.latest = start;
      for (const st of this.entities.values()) if (st.open && st.open.window.start < start) this.close(st);
    }
    let st = this.entities.get(line.service);
    if (!st) {
      st = { miner: new TemplateMiner(), history: [], seen: new Set() };
      this.entities.set(line.service, st);
    }
    st.open ??= {
      window: {
        service: line.service,
        start,
        end: start + windowMs,
        total: 0,
        errors: 0,
        counts: new Map(),
        errorCounts: new Map(),
      },
      lines: [],
    };
    const w = st.open.window;
    const id = st.miner.add(line.message).cluster.id;
    const error = isErrorLevel(line.level);
    w.total++;
    w.counts.set(id, (w.counts.get(id) ?? 0) + 1);
    if (error) {
      w.errors++;
      w.errorCounts.set(id, (w.errorCounts.get(id) ?? 0) + 1);
    }
    const p: Pending = { line: this.nextLine++, entity: line.service, templateId: id, error };
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
    const service = current.service;
    const templates = new Map<string, TemplateInfo>();
    for (const c of miner.clusters()) {
      if (current.counts.has(c.id))
        templates.set(templateKey(service, c.id), { service, id: c.id, text: c.template, size: c.size });
    }
    const known = new Set([...st.seen].map((id) => miner.resolve(id)));
    const findings = detectLogAnomalies(
      { baseline: st.history.map(now), current: [current], templates, known: new Map([[service, known]]) },
      { ...CHECK_DEFAULTS, ...this.options.checks },
    );
    for (const p of open.lines) p.verdict = verdictOf(p, miner.resolve(p.templateId), findings, templates, service);
    st.history.push(current);
    if (st.history.length > this.options.historyWindows) st.history.shift();
    for (const id of current.counts.keys()) st.seen.add(id);
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
 * A line is anomalous when it is an error (or worse) line whose template a finding that opens an
 * incident in the job names (new templates, error bursts). Frequency deviations and the other lines
 * of a finding are context: the job records them but does not page on them, nor does the verdict.
 */
function verdictOf(
  p: Pending,
  id: string,
  findings: readonly LogAnomaly[],
  templates: ReadonlyMap<string, TemplateInfo>,
  service: string,
): LineVerdict {
  let best: LogAnomaly | undefined;
  if (p.error) {
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

const round = (x: number): number => Math.round(x * 1000) / 1000;
