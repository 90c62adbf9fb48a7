/**
 * Small inline SVG charts of the evidence: a metric sparkline with its baseline band (median ± 3 robust
 * standard deviations of the samples before the start) and the start marked, and the alert timeline.
 */
import { esc, sig3 } from './html.js';

/** One metric of one suspect over the incident's window. Times are unix seconds. */
export interface SparkSeries {
  entity: string;
  metric: string;
  timestamps: Float64Array;
  values: Float64Array;
  /** The incident's start (where the fault shows), unix seconds. */
  startS: number;
}

export const DEFAULTS = { width: 300, height: 64, bandSigmas: 3, pad: 4 };

/** Median and robust sigma (1.4826·MAD) of the finite values. Pure. */
export function robustBaseline(values: ArrayLike<number>): { median: number; sigma: number } | undefined {
  const xs = Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const med = (a: number[]) => (a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2);
  const median = med(xs);
  const sigma = 1.4826 * med(xs.map((x) => Math.abs(x - median)).sort((a, b) => a - b));
  return { median, sigma };
}

/** A sparkline `<svg class="sparkline">` with the baseline band and the start line. Pure. */
export function renderSparkline(s: SparkSeries): string {
  const { width: W, height: H, pad } = DEFAULTS;
  const n = s.timestamps.length;
  const before = Array.from(s.values).filter((_, i) => s.timestamps[i] < s.startS);
  const base = robustBaseline(before);
  const finite = Array.from(s.values).filter(Number.isFinite);
  const label = `${s.entity} ${s.metric}`;
  if (n < 2 || finite.length === 0)
    return `<svg class="sparkline empty" role="img" aria-label="${esc(label)}: no samples" viewBox="0 0 ${W} 20" width="${W}" height="20"><text x="0" y="14" font-size="11" fill="#5f6368">no samples for ${esc(label)}</text></svg>`;
  // A flat baseline still gets a visible band: 1 % of its level.
  const half = base ? Math.max(DEFAULTS.bandSigmas * base.sigma, Math.abs(base.median) * 0.01, 1e-9) : 0;
  const lo = Math.min(...finite, ...(base ? [base.median - half] : []));
  const hi = Math.max(...finite, ...(base ? [base.median + half] : []));
  const t0 = s.timestamps[0];
  const t1 = s.timestamps[n - 1];
  const x = (t: number) => pad + ((t - t0) / Math.max(1, t1 - t0)) * (W - 2 * pad);
  const y = (v: number) => H - pad - ((v - lo) / Math.max(1e-12, hi - lo)) * (H - 2 * pad);
  const segments: string[] = [];
  let current: string[] = [];
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(s.values[i])) {
      if (current.length) segments.push(current.join(' '));
      current = [];
      continue;
    }
    current.push(`${r(x(s.timestamps[i]))},${r(y(s.values[i]))}`);
  }
  if (current.length) segments.push(current.join(' '));
  const band = base
    ? `<rect class="baseline-band" x="${pad}" y="${r(y(base.median + half))}" width="${W - 2 * pad}" height="${r(Math.max(1, y(base.median - half) - y(base.median + half)))}" fill="#c8e6c9" opacity="0.8"><title>normal: ${sig3(base.median)} ± ${sig3(half)}</title></rect>`
    : '';
  const sx = r(x(Math.min(t1, Math.max(t0, s.startS))));
  const peak = Math.max(...finite);
  return `<svg class="sparkline" role="img" data-entity="${esc(s.entity)}" data-metric="${esc(s.metric)}" aria-label="${esc(`${label}: normal ${base ? sig3(base.median) : '?'}, peak ${sig3(peak)}`)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">
${band}${segments.map((p) => `<polyline points="${p}" fill="none" stroke="#0b57d0" stroke-width="1.6"/>`).join('')}<line class="fault-start" x1="${sx}" x2="${sx}" y1="0" y2="${H}" stroke="#b3261e" stroke-width="1.5" stroke-dasharray="3 2"><title>incident start</title></line><text x="${Number(sx) + 3}" y="10" font-size="9.5" fill="#b3261e">start</text></svg>`;
}

/** One alert on the timeline; times are ms since epoch. */
export interface TimelineAlert {
  name: string;
  entity?: string;
  status: string;
  at?: number;
}

/** The alert timeline: one row per alert, its name on the left, a triangle (firing) or circle (resolved) at its start on the time track. Pure. */
export function renderAlertTimeline(alerts: TimelineAlert[], window: { from: number; to: number }): string {
  const rows = alerts.filter((a) => a.at !== undefined).slice(0, 20);
  if (rows.length === 0) return '<p class="muted">No alerts with a start time.</p>';
  const W = 320;
  const rowH = 20;
  const track = { from: 200, to: W - 8 };
  const H = rows.length * rowH + 24;
  const span = Math.max(1, window.to - window.from);
  const x = (t: number) => track.from + ((t - window.from) / span) * (track.to - track.from);
  const items = rows.map((a, i) => {
    const cx = r(x(Math.min(window.to, Math.max(window.from, a.at ?? window.from))));
    const cy = 12 + i * rowH;
    const text = `${a.name}${a.entity ? ` on ${a.entity}` : ''} (${a.status})`;
    const shown = text.length > 32 ? `${text.slice(0, 31)}…` : text;
    const mark =
      a.status === 'firing'
        ? `<polygon points="${cx - 5},${cy + 5} ${cx + 5},${cy + 5} ${cx},${cy - 5}" fill="#b3261e"/>`
        : `<circle cx="${cx}" cy="${cy}" r="4.5" fill="none" stroke="#137333" stroke-width="2"/>`;
    return `<g class="alert" data-name="${esc(a.name)}" aria-label="${esc(text)}"><title>${esc(text)}</title><text x="0" y="${cy + 4}" font-size="11">${esc(shown)}</text><line x1="${track.from}" x2="${track.to}" y1="${cy}" y2="${cy}" stroke="#e0e3e7"/>${mark}</g>`;
  });
  const axis = `<line x1="${track.from}" x2="${track.to}" y1="${H - 12}" y2="${H - 12}" stroke="#9aa0a6"/><text x="${track.from}" y="${H - 1}" font-size="9.5" fill="#5f6368">${esc(hhmm(window.from))}</text><text x="${track.to}" y="${H - 1}" font-size="9.5" text-anchor="end" fill="#5f6368">${esc(hhmm(window.to))}</text>`;
  return `<svg class="alert-timeline" role="group" aria-label="alert timeline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${items.join('')}${axis}</svg>`;
}

const hhmm = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)} UTC`;

const r = (v: number) => Math.round(v * 10) / 10;
