/**
 * Exports a simulated run as an offline case folder in rootgraph's case format (shared data
 * README): metrics.csv (wide, `<entity>|<metric>` columns, unix seconds), topology.csv, traces.csv,
 * logs.csv, incident.json, plus ground-truth.json. Pure: returns file names and their text; the CLI
 * writes them.
 */
import type { SimRun } from './types.js';

/** Knobs of the case export. */
export const DEFAULTS = {
  /** Traces and logs are exported from this long before the first fault … */
  telemetryBeforeS: 1_800,
  /** … to this long after the last fault ends. */
  telemetryAfterS: 600,
  entry: 'frontend',
  entryMetric: 'latency_p99',
} as const;

/** Which series go into metrics.csv: services only (default; matches topology.csv) or pods and machines too. */
export type CaseEntities = 'services' | 'all';

/**
 * Which signals the case keeps. `full`: every metric and topology.csv. `resource`: what a cluster
 * reports per workload without service-level instrumentation (cpu, memory, network, restarts), the
 * entry's own SLI (what alarmed) and no topology.csv, so latency, errors and the call graph are known
 * from traces alone.
 */
export type CaseSignals = 'full' | 'resource';
export const CASE_SIGNALS: readonly CaseSignals[] = ['full', 'resource'];
const RESOURCE_METRICS = new Set(['cpu_usage', 'memory_usage', 'network_receive', 'network_transmit', 'restarts']);

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A metric value for the CSV: six significant digits, shortest form (999599.7 → "999600"), empty for NaN. */
export function caseNumber(v: number): string {
  if (Number.isNaN(v)) return '';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** The case files of `run`, by file name. Pure. */
export function toCaseFiles(
  run: SimRun,
  opts: { entities?: CaseEntities; signals?: CaseSignals; traces?: boolean; logs?: boolean; name?: string } = {},
): Record<string, string> {
  const files: Record<string, string> = {};
  const entities = opts.entities ?? 'services';
  const full = (opts.signals ?? 'full') === 'full';
  const entry = run.topology.services.some((s) => s.name === DEFAULTS.entry)
    ? DEFAULTS.entry
    : run.topology.services[0].name;
  const cols = [...run.metrics.series.values()].filter(
    (s) =>
      (entities === 'all' || s.kind === 'service') && (full || s.entity === entry || RESOURCE_METRICS.has(s.metric)),
  );
  const ts = run.metrics.timestamps;
  const lines = [['timestamp', ...cols.map((c) => csvField(`${c.entity}|${c.metric}`))].join(',')];
  for (let i = 0; i < ts.length; i++)
    lines.push([String(ts[i]), ...cols.map((c) => caseNumber(c.values[i]))].join(','));
  files['metrics.csv'] = `${lines.join('\n')}\n`;
  if (full)
    files['topology.csv'] =
      `source,target\n${run.topology.edges.map((e) => `${csvField(e.source)},${csvField(e.target)}`).join('\n')}\n`;
  const window = telemetryWindow(run);
  if (opts.traces ?? true) {
    const out = ['trace_id,span_id,parent_span_id,entity,operation,start_unix_ns,duration_ns,status'];
    for (const tr of run.traces(window)) {
      for (const s of tr.spans) {
        const status = s.status === 'ok' ? 'ok' : /^\d+$/.test(s.statusMessage ?? '') ? s.statusMessage! : 'error';
        out.push(
          [
            s.traceId,
            s.spanId,
            s.parentSpanId,
            csvField(s.service),
            csvField(s.operation),
            BigInt(Math.round(s.startNs)).toString(),
            String(s.durationNs),
            status,
          ].join(','),
        );
      }
    }
    files['traces.csv'] = `${out.join('\n')}\n`;
  }
  if (opts.logs ?? true) {
    const out = ['timestamp,entity,level,message'];
    for (const l of run.logs(window))
      out.push([(l.timeMs / 1000).toFixed(3), csvField(l.service), l.level, csvField(l.message)].join(','));
    files['logs.csv'] = `${out.join('\n')}\n`;
  }
  const first = run.truth.faults.reduce((m, f) => Math.min(m, f.start), Infinity);
  files['incident.json'] =
    `${JSON.stringify({ start: Number.isFinite(first) ? Math.floor(first / 1000) : ts[ts.length - 1], entry, entry_metric: DEFAULTS.entryMetric })}\n`;
  files['ground-truth.json'] = `${JSON.stringify(caseTruth(run, opts.name), null, 1)}\n`;
  return files;
}

/** The offsets (s) of the traces and logs exported with a case: around the faults, or the last hour. */
export function telemetryWindow(run: SimRun): { fromS: number; toS: number } {
  const { start, durationS } = run.options;
  const faults = run.truth.faults;
  if (faults.length === 0) return { fromS: Math.max(0, durationS - 3_600), toS: durationS };
  const from = Math.min(...faults.map((f) => (f.start - start) / 1000)) - DEFAULTS.telemetryBeforeS;
  const to = Math.max(...faults.map((f) => (f.end - start) / 1000)) + DEFAULTS.telemetryAfterS;
  return { fromS: Math.max(0, from), toS: Math.min(durationS, to) };
}

/** ground-truth.json: the root cause (entity), every fault, changes and the alert → incident map. */
export function caseTruth(run: SimRun, name?: string): Record<string, unknown> {
  const f0 = run.truth.faults[0];
  return {
    case: name ?? null,
    entity: f0?.target ?? null,
    fault: f0?.type ?? null,
    system: run.topology.name,
    seed: run.options.seed,
    faults: run.truth.faults.map((f) => ({ ...f, start: f.start / 1000, end: f.end / 1000 })),
    changes: run.truth.changes,
    alerts: run.alerts.map((a) => ({
      fingerprint: a.fingerprint,
      labels: a.labels,
      startsAt: a.startsAt / 1000,
      endsAt: a.endsAt === null ? null : a.endsAt / 1000,
      incident: a.incident,
    })),
  };
}
