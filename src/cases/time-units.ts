/**
 * Times in the unit the case format asks for. Exports slip units: metrics stamped in milliseconds,
 * Jaeger spans in microseconds, an incident start in milliseconds. Each unit puts today's dates in its own
 * decade band (2001–2286: 1e9–1e10 s, 1e12–1e13 ms, 1e15–1e16 µs, 1e18–1e19 ns), so a column whose
 * median sits in another unit's band is read in that unit. Times outside every band (relative times,
 * small test values) are left as they are. Pure.
 */
import { upperMedian as median } from '../rca/robust.js';
import type { CaseData } from './types.js';

const UNITS = [
  { unit: 's', perSecond: 1 },
  { unit: 'ms', perSecond: 1e3 },
  { unit: 'µs', perSecond: 1e6 },
  { unit: 'ns', perSecond: 1e9 },
] as const;

/** The unit whose band holds `t` as a unix time of 2001–2286, or null. */
export function epochUnit(t: number): (typeof UNITS)[number] | null {
  if (!(t > 0)) return null;
  return UNITS.find((u) => t >= 1e9 * u.perSecond && t < 1e10 * u.perSecond) ?? null;
}

/** A time column read in another unit than the format's. */
export interface UnitFix {
  what: string;
  unit: string;
}

/** The case with every time column in the format's unit, and the columns that were not. */
export function normaliseTimeUnits(c: CaseData): { data: CaseData; fixed: UnitFix[] } {
  const fixed: UnitFix[] = [];
  // Factor that turns a column in its detected unit into `targetPerSecond` units.
  const factor = (sample: number, targetPerSecond: number, what: string): number => {
    const u = epochUnit(sample);
    if (!u || u.perSecond === targetPerSecond) return 1;
    fixed.push({ what, unit: u.unit });
    return targetPerSecond / u.perSecond;
  };
  const startF = factor(c.incident.start, 1, 'incident.json start');
  const metricsF = c.timestamps.length ? factor(median(c.timestamps), 1, 'metrics.csv timestamp') : 1;
  const logsF = c.logs.length ? factor(median(c.logs.map((l) => l.timestamp)), 1, 'logs.csv timestamp') : 1;
  const spansF = c.spans.length
    ? factor(median(c.spans.map((s) => s.startNs)), 1e9, 'traces.csv start_unix_ns (and duration_ns)')
    : 1;
  if (fixed.length === 0) return { data: c, fixed };
  return {
    data: {
      ...c,
      incident: { ...c.incident, start: c.incident.start * startF },
      timestamps: metricsF === 1 ? c.timestamps : c.timestamps.map((t) => t * metricsF),
      logs: logsF === 1 ? c.logs : c.logs.map((l) => ({ ...l, timestamp: l.timestamp * logsF })),
      spans:
        spansF === 1
          ? c.spans
          : c.spans.map((s) => ({ ...s, startNs: s.startNs * spansF, durationNs: s.durationNs * spansF })),
    },
    fixed,
  };
}
