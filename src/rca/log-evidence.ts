/**
 * Log evidence per entity: error-level lines in the incident window against their normal rate, by
 * template (Drain-lite masking of numbers, hex, ids; He et al., "Drain", ICWS 2017 does the full
 * job in src/logs). Score = largest Poisson z of a template's window count over its expected count,
 * with a template never seen in normal operation expected at a floor rate.
 */

export const DEFAULTS = {
  /** Seconds after the start that count as the incident window. */
  windowAfter: 3600,
  /** Seconds before the start excluded from normal (the fault may be brewing). */
  guardBefore: 600,
  /** Levels (lower case) counted as errors. */
  errorLevels: ['error', 'err', 'fatal', 'critical', 'crit', 'severe', 'panic'],
  /** Expected count floor for a template with no normal history. */
  floor: 0.5,
};

/** The log fields needed (CaseLog fits). */
export interface LogIn {
  timestamp: number;
  entity: string;
  level: string;
  message: string;
}

export interface LogTemplateHit {
  template: string;
  windowCount: number;
  expected: number;
  z: number;
}

export interface EntityLogEvidence {
  entity: string;
  score: number;
  templates: LogTemplateHit[];
}

/** Masks variable parts of a log message so lines of one kind share a template. Pure. */
export function toTemplate(message: string): string {
  return message
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<*>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<*>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<*>')
    .replace(/\b[0-9a-f]*\d[0-9a-f]*\b/gi, '<*>')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Scores entities by error-log bursts around `start` (unix s). Pure. */
export function scoreLogs(
  logs: readonly LogIn[],
  start: number,
  opts: Partial<typeof DEFAULTS> = {},
): Map<string, EntityLogEvidence> {
  const o = { ...DEFAULTS, ...opts };
  const errors = new Set(o.errorLevels);
  let normalFrom = Infinity,
    normalTo = -Infinity,
    winTo = start;
  const counts = new Map<string, { entity: string; template: string; normal: number; window: number }>();
  for (const l of logs) {
    const inWindow = l.timestamp >= start && l.timestamp <= start + o.windowAfter;
    const inNormal = l.timestamp < start - o.guardBefore;
    if (inNormal) {
      normalFrom = Math.min(normalFrom, l.timestamp);
      normalTo = Math.max(normalTo, l.timestamp);
    }
    if (inWindow) winTo = Math.max(winTo, l.timestamp);
    if (!errors.has(l.level.toLowerCase()) || (!inWindow && !inNormal)) continue;
    const template = toTemplate(l.message);
    const key = `${l.entity}\u0000${template}`;
    let c = counts.get(key);
    if (!c) counts.set(key, (c = { entity: l.entity, template, normal: 0, window: 0 }));
    if (inWindow) c.window++;
    else c.normal++;
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
    if (!ev) out.set(c.entity, (ev = { entity: c.entity, score: 0, templates: [] }));
    ev.templates.push({ template: c.template, windowCount: c.window, expected, z });
    ev.score = Math.max(ev.score, z);
  }
  for (const ev of out.values()) ev.templates.sort((a, b) => b.z - a.z);
  return out;
}
