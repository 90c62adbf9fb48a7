/**
 * Per-service, per-window template counts: the input of the log checks. Each service (name,
 * namespace and cluster: service-ref.ts) has its own template miner (Drain, see drain.ts), so a
 * template belongs to exactly one service, as the knowledge graph's `LogTemplate -[:EMITTED_BY]->
 * Service` says.
 */
import { TemplateMiner } from './drain.js';
import { type ServiceRef, serviceKey, serviceRefOf } from './service-ref.js';

/** One log line, already stripped of its header (OTLP bodies, or `--format`'s <Content>). */
export interface LogLine extends ServiceRef {
  /** Unix milliseconds. */
  timeMs: number;
  /** Severity text as emitted (`ERROR`, `error`, `E`, `FATAL` …); absent when unknown. */
  level?: string;
  message: string;
}

/** Counts of one service in one window [start, end). Template ids are the service miner's ids. */
export interface TemplateWindow extends ServiceRef {
  start: number;
  end: number;
  total: number;
  errors: number;
  /** Template id → lines in this window. */
  counts: Map<string, number>;
  /** Template id → error/fatal-level lines in this window. */
  errorCounts: Map<string, number>;
}

/** A template as it stands after mining: its text is the evidence an engineer reads. */
export interface TemplateInfo extends ServiceRef {
  id: string;
  text: string;
  /** Lines seen in total (over every window mined with this miner). */
  size: number;
}

/** Result of mining: windows in (service key, start) order and the templates they refer to. */
export interface MinedWindows {
  windows: TemplateWindow[];
  /** `templateKey(service, id)` → template. */
  templates: Map<string, TemplateInfo>;
}

/** Knobs for windowing. */
export const DEFAULTS = {
  /** Window length in milliseconds. */
  windowMs: 60_000,
};

const ERROR_LEVELS = new Set([
  'ERROR',
  'ERR',
  'E',
  'FATAL',
  'F',
  'CRITICAL',
  'CRIT',
  'SEVERE',
  'ALERT',
  'EMERG',
  'EMERGENCY',
  'PANIC',
]);

/** True for error-or-worse severities in the usual spellings (syslog, log4j, glog, Python, Go). */
export function isErrorLevel(level: string | undefined): boolean {
  return level !== undefined && ERROR_LEVELS.has(level.trim().toUpperCase());
}

/** Key of a template in `MinedWindows.templates`: template ids are per service (serviceKey). */
export const templateKey = (service: ServiceRef, id: string): string => `${serviceKey(service)}\u0000${id}`;

/**
 * Mines lines into per-service templates and counts them per window aligned to `windowMs`
 * (window start = floor(time / windowMs) · windowMs). Pass `miners` (keyed by serviceKey) to
 * continue from earlier state (the baseline's), so the same message keeps the same template id.
 * Deterministic.
 */
export function mineTemplateWindows(
  lines: Iterable<LogLine>,
  opts: { windowMs?: number; miners?: Map<string, TemplateMiner> } = {},
): MinedWindows {
  const windowMs = opts.windowMs ?? DEFAULTS.windowMs;
  const miners = opts.miners ?? new Map<string, TemplateMiner>();
  const byKey = new Map<string, TemplateWindow>();
  /** serviceKey → the service as its first line named it. */
  const touched = new Map<string, ServiceRef>();
  for (const line of lines) {
    const service = serviceKey(line);
    let miner = miners.get(service);
    if (!miner) {
      miner = new TemplateMiner();
      miners.set(service, miner);
    }
    const id = miner.add(line.message).cluster.id;
    if (!touched.has(service)) touched.set(service, serviceRefOf(line));
    const start = Math.floor(line.timeMs / windowMs) * windowMs;
    const key = `${service}\u0000${start}`;
    let w = byKey.get(key);
    if (!w) {
      w = {
        ...(touched.get(service) as ServiceRef),
        start,
        end: start + windowMs,
        total: 0,
        errors: 0,
        counts: new Map(),
        errorCounts: new Map(),
      };
      byKey.set(key, w);
    }
    w.total++;
    w.counts.set(id, (w.counts.get(id) ?? 0) + 1);
    if (isErrorLevel(line.level)) {
      w.errors++;
      w.errorCounts.set(id, (w.errorCounts.get(id) ?? 0) + 1);
    }
  }
  // Clusters merge as the miner learns: count every line under its cluster's id as it stands now.
  for (const w of byKey.values()) {
    const miner = miners.get(serviceKey(w)) as TemplateMiner;
    w.counts = remap(w.counts, miner);
    w.errorCounts = remap(w.errorCounts, miner);
  }
  const templates = new Map<string, TemplateInfo>();
  for (const [key, service] of [...touched].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const c of (miners.get(key) as TemplateMiner).clusters()) {
      templates.set(templateKey(service, c.id), { ...service, id: c.id, text: c.template, size: c.size });
    }
  }
  const windows = [...byKey.values()].sort((a, b) => {
    const [ka, kb] = [serviceKey(a), serviceKey(b)];
    return ka < kb ? -1 : ka > kb ? 1 : a.start - b.start;
  });
  return { windows, templates };
}

function remap(counts: Map<string, number>, miner: TemplateMiner): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, n] of counts) {
    const now = miner.resolve(id);
    out.set(now, (out.get(now) ?? 0) + n);
  }
  return out;
}
