import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { lineLevel } from '../logs/message-level.js';
import {
  columnIndex,
  detached,
  interner,
  parseNumberCell,
  parseTimeCell,
  streamCsv,
  type CsvRow,
  type NotUtf8Lines,
} from './csv-rows.js';
import type { CaseData, CaseEdge, CaseIncident, CaseLog, CaseSeries, CaseSpan, Truth } from './types.js';
import { normaliseCase } from './normalise-case.js';
import { NEAR_S } from '../rca/coverage.js';

export type * from './types.js';

const IncidentSchema = z.object({
  start: z.union([z.number().finite().positive(), z.string().min(1)]),
  entry: z.string().min(1).optional(),
  entry_metric: z.string().min(1).optional(),
});

const TruthSchema = z.record(
  z.string(),
  z.looseObject({ entity: z.string().min(1), split: z.string().optional(), part: z.string().optional() }),
);

/**
 * Reads one offline case folder (format: ../shared/data/README.md). incident.json is required;
 * metrics.csv, topology.csv, traces.csv and logs.csv are optional. CSV files are streamed. Names,
 * time units and counters are then read as the format means them (normalise-case.ts). Bad content
 * throws InputError naming the file, row and column. Pure apart from reading the folder.
 */
export async function readCase(dir: string): Promise<CaseData> {
  const name = basename(dir.replace(/\/+$/, ''));
  const st = await stat(dir).catch(() => null);
  if (!st) throw new InputError(dir, 'no such file or folder');
  if (!st.isDirectory()) throw new InputError(dir, 'not a case folder (expected a directory holding incident.json)');
  const present = new Set(await readdir(dir));
  if (!present.has('incident.json'))
    throw new InputError(join(name, 'incident.json'), 'missing (every case needs one)');
  const incident = await readIncident(join(dir, 'incident.json'), `${name}/incident.json`);
  const has = {
    metrics: present.has('metrics.csv'),
    topology: present.has('topology.csv'),
    traces: present.has('traces.csv'),
    logs: present.has('logs.csv'),
  };
  const decoding = new Map<string, NotUtf8Lines>();
  const read = <T>(file: string, reader: (file: string, label: string, notUtf8: NotUtf8Lines) => Promise<T>) => {
    const notUtf8 = { lines: 0, firstLine: 0 };
    decoding.set(file, notUtf8);
    return reader(join(dir, file), `${name}/${file}`, notUtf8);
  };
  const metrics = has.metrics
    ? await read('metrics.csv', readMetrics)
    : { timestamps: new Float64Array(0), series: [] };
  const normalised = normaliseCase({
    name,
    timestamps: metrics.timestamps,
    series: metrics.series,
    topology: has.topology ? await read('topology.csv', readTopology) : [],
    spans: has.traces ? await read('traces.csv', readTraces) : [],
    logs: has.logs ? await read('logs.csv', readLogs) : [],
    incident,
    has,
  });
  const notUtf8 = [...decoding].filter(([, d]) => d.lines > 0).map(([file, d]) => ({ file, ...d }));
  const data = notUtf8.length > 0 ? { ...normalised, notUtf8 } : normalised;
  requireTelemetryNearStart(data);
  return data;
}

/**
 * A case with no metrics, spans or log lines, or none within a day of its start (a start typed in
 * the wrong year or unit), has nothing to rank by: a ranking from the topology alone would look like
 * an answer.
 */
function requireTelemetryNearStart(c: CaseData): void {
  const start = c.incident.start;
  const given = c.timestamps.length + c.spans.length + c.logs.length;
  if (c.series.length === 0 && c.spans.length === 0 && c.logs.length === 0)
    throw new InputError(c.name, 'no telemetry: metrics.csv, traces.csv and logs.csv are missing or hold no data');
  let lo = Infinity,
    hi = -Infinity,
    nearest = Infinity;
  const see = (t: number) => {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
    nearest = Math.min(nearest, Math.abs(t - start));
  };
  for (const t of c.timestamps) see(t);
  for (const sp of c.spans) see(sp.startNs / 1e9);
  for (const l of c.logs) see(l.timestamp);
  // The analysis' own reach (coverage.ts): evidence farther away counts as none.
  if (nearest <= NEAR_S) return;
  if (given === 0) throw new InputError(c.name, 'no telemetry: the files given hold no rows');
  const iso = (t: number) => new Date(t * 1000).toISOString();
  throw new InputError(
    `${c.name}/incident.json › start`,
    `${iso(start)} is more than a day from every sample (data from ${iso(lo)} – ${iso(hi)}): is it in unix seconds, and the right incident?`,
  );
}

/** Reads truth.json (`{ "<case>": { "entity": "<root cause>" } }`); throws InputError naming the bad entry. */
export async function readTruth(file: string): Promise<Truth> {
  const raw = await readJson(file, basename(file));
  const parsed = TruthSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${basename(file)} › ${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid truth file');
  }
  return parsed.data as Truth;
}

/** The case folders directly under `dir` (those holding incident.json), sorted by name. */
export async function listCases(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
    throw new InputError(dir, 'cannot list cases folder', { cause: err });
  });
  const out: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const files = await readdir(join(dir, e.name));
    if (files.includes('incident.json')) out.push(join(dir, e.name));
  }
  return out.sort();
}

async function readJson(file: string, label: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(label, 'cannot read file', { cause: err });
  }
  try {
    // Windows tools write a byte-order mark that JSON.parse rejects as an invisible token.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (err) {
    throw new InputError(label, `not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

async function readIncident(file: string, label: string): Promise<CaseIncident> {
  const parsed = IncidentSchema.safeParse(await readJson(file, label));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${label} › ${issue?.path.join('.') || '(root)'}`, issue?.message ?? 'invalid incident');
  }
  const { entry, entry_metric: entryMetric } = parsed.data;
  const start =
    typeof parsed.data.start === 'number'
      ? parsed.data.start
      : parseTimeCell(parsed.data.start, `${label} › start`, 's');
  return { start, ...(entry ? { entry } : {}), ...(entryMetric ? { entryMetric } : {}) };
}

async function readMetrics(
  file: string,
  label: string,
  notUtf8?: NotUtf8Lines,
): Promise<{ timestamps: Float64Array; series: CaseSeries[] }> {
  let header: string[] = [];
  const ts: number[] = [];
  let cols: number[][] = [];
  for await (const item of streamCsv(file, label, notUtf8)) {
    if ('header' in item) {
      header = item.header;
      if (header[0] !== 'timestamp')
        throw new InputError(`${label} › row 1 › column 1`, `expected "timestamp", got "${header[0] ?? ''}"`);
      // A repeated column is streamCsv's to reject (checkedHeader), for every file alike.
      for (let c = 1; c < header.length; c++) {
        const bar = header[c].indexOf('|');
        if (bar <= 0 || bar === header[c].length - 1) {
          throw new InputError(
            `${label} › row 1 › column ${c + 1}`,
            `expected "<entity>|<metric>", got "${header[c]}"`,
          );
        }
      }
      cols = header.slice(1).map(() => []);
      continue;
    }
    const { row, cells } = item as CsvRow;
    ts.push(parseTimeCell(cells[0], `${label} › row ${row} › column timestamp`, 's'));
    for (let c = 1; c < cells.length; c++) {
      cols[c - 1].push(parseNumberCell(cells[c], `${label} › row ${row} › column ${header[c]}`, { allowEmpty: true }));
    }
  }
  // Rows may come in any order (normal day after the incident); sort once so consumers can assume order.
  const order = ts.map((_, i) => i).sort((a, b) => ts[a] - ts[b] || a - b);
  const timestamps = Float64Array.from(order, (i) => ts[i]);
  const series = header.slice(1).map((key, c): CaseSeries => {
    const bar = key.indexOf('|');
    const col = cols[c];
    return {
      key,
      entity: key.slice(0, bar),
      metric: key.slice(bar + 1),
      values: Float64Array.from(order, (i) => col[i]),
    };
  });
  return { timestamps, series };
}

async function readTopology(file: string, label: string, notUtf8?: NotUtf8Lines): Promise<CaseEdge[]> {
  const out: CaseEdge[] = [];
  let idx: Record<string, number> = {};
  for await (const item of streamCsv(file, label, notUtf8)) {
    if ('header' in item) {
      idx = columnIndex(item.header, ['source', 'target'], label);
      continue;
    }
    const { row, cells } = item as CsvRow;
    const source = cells[idx.source].trim();
    const target = cells[idx.target].trim();
    if (!source) throw new InputError(`${label} › row ${row} › column source`, 'empty entity name');
    if (!target) throw new InputError(`${label} › row ${row} › column target`, 'empty entity name');
    out.push({ source, target });
  }
  return out;
}

const ZEROS = /^0+$/;

const SPAN_COLUMNS = [
  'trace_id',
  'span_id',
  'parent_span_id',
  'entity',
  'operation',
  'start_unix_ns',
  'duration_ns',
  'status',
] as const;

async function readTraces(file: string, label: string, notUtf8?: NotUtf8Lines): Promise<CaseSpan[]> {
  const out: CaseSpan[] = [];
  const name = interner();
  let idx: Record<string, number> = {};
  for await (const item of streamCsv(file, label, notUtf8)) {
    if ('header' in item) {
      idx = columnIndex(item.header, SPAN_COLUMNS, label);
      continue;
    }
    const { row, cells } = item as CsvRow;
    const at = (col: string) => `${label} › row ${row} › column ${col}`;
    const req = (col: string) => {
      const v = cells[idx[col]].trim();
      if (!v) throw new InputError(at(col), 'required cell is empty');
      return v;
    };
    const parent = cells[idx.parent_span_id].trim();
    // A span that is its own parent would sit in a loop: an export bug, not a call.
    if (parent !== '' && parent === cells[idx.span_id].trim())
      throw new InputError(at('parent_span_id'), `the span names itself ("${parent}") as its parent`);
    out.push({
      traceId: detached(req('trace_id')),
      spanId: detached(req('span_id')),
      // Jaeger and Zipkin exports write a root's parent as zeros.
      parentSpanId: parent === '' || ZEROS.test(parent) ? null : detached(parent),
      entity: name(req('entity')),
      operation: name(req('operation')),
      startNs: parseTimeCell(cells[idx.start_unix_ns], at('start_unix_ns'), 'ns'),
      durationNs: parseDuration(cells[idx.duration_ns], at('duration_ns')),
      status: name(cells[idx.status].trim()),
    });
  }
  return out;
}

// A span's length: a number of 0 or more (a negative one is a clock or export bug the analysis would take as fact).
function parseDuration(cell: string, where: string): number {
  const v = parseNumberCell(cell, where, { allowEmpty: false });
  if (!(v >= 0) || !Number.isFinite(v))
    throw new InputError(where, `expected a duration of 0 or more, got "${cell.trim()}"`);
  return v;
}

async function readLogs(file: string, label: string, notUtf8?: NotUtf8Lines): Promise<CaseLog[]> {
  const out: CaseLog[] = [];
  const name = interner();
  let idx: Record<string, number> = {};
  for await (const item of streamCsv(file, label, notUtf8)) {
    if ('header' in item) {
      idx = columnIndex(item.header, ['timestamp', 'entity', 'level', 'message'], label);
      continue;
    }
    const { row, cells } = item as CsvRow;
    const entity = cells[idx.entity].trim();
    if (!entity) throw new InputError(`${label} › row ${row} › column entity`, 'required cell is empty');
    out.push({
      timestamp: parseTimeCell(cells[idx.timestamp], `${label} › row ${row} › column timestamp`, 's'),
      entity: name(entity),
      level: name(lineLevel(cells[idx.level], cells[idx.message])),
      message: cells[idx.message],
    });
  }
  return out;
}
