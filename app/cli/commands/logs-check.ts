import Table from 'cli-table3';
import { columnIndex, type CsvRow, parseNumberCell, streamCsv } from '../../../src/cases/csv-rows.js';
import { InputError } from '../../../src/errors.js';
import { lineLevel } from '../../../src/logs/message-level.js';
import { type LineVerdict, LogCheckStream, type LogCheckStreamOptions } from '../../../src/logs/log-check-stream.js';

export interface CheckOptions {
  json?: boolean;
  windowLines?: string;
  windowMs?: string;
}

/**
 * Streams a case-format `logs.csv` (`timestamp,entity,level,message`) through the log checks and
 * hands each line's verdict to `onVerdict`, in input order. Returns the stream's options.
 * Throws InputError naming the row for a bad file.
 */
export async function checkCaseLogs(
  file: string,
  options: Partial<LogCheckStreamOptions>,
  onVerdict: (v: LineVerdict) => void | Promise<void>,
): Promise<LogCheckStreamOptions> {
  const stream = new LogCheckStream(options);
  let idx: Record<string, number> = {};
  let lastMs = -Infinity;
  for await (const item of streamCsv(file)) {
    if ('header' in item) {
      idx = columnIndex(item.header, ['timestamp', 'entity', 'level', 'message'], file);
      continue;
    }
    const { row, cells } = item as CsvRow;
    const seconds = parseNumberCell(cells[idx.timestamp], `${file} › row ${row} › column timestamp`, {
      allowEmpty: false,
    });
    // Lines slightly out of order count in the window that is open (the checks need time to move on).
    lastMs = Math.max(lastMs, seconds * 1000);
    const verdicts = stream.push({
      timeMs: lastMs,
      service: cells[idx.entity].trim() || '(none)',
      level: lineLevel(cells[idx.level], cells[idx.message]),
      message: cells[idx.message],
    });
    for (const v of verdicts) await onVerdict(v);
  }
  for (const v of stream.end()) await onVerdict(v);
  return stream.options;
}

/** Parses the window flags into stream options. */
export function windowOptions(opts: CheckOptions): Partial<LogCheckStreamOptions> {
  const out: Partial<LogCheckStreamOptions> = {};
  if (opts.windowLines !== undefined) out.windowLines = positiveInt(opts.windowLines, '--window-lines', true);
  if (opts.windowMs !== undefined) {
    out.windowMs = positiveInt(opts.windowMs, '--window-ms', false);
    out.windowLines ??= 0;
  }
  return out;
}

/** `rootgraph logs check FILE [--json]`: one verdict per line, or a summary. */
export async function runCheck(file: string, opts: CheckOptions): Promise<void> {
  let lines = 0;
  const flagged: LineVerdict[] = [];
  let closed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  await checkCaseLogs(file, windowOptions(opts), async (v) => {
    lines++;
    if (v.anomalous) flagged.push(v);
    if (!opts.json || closed) return;
    // Respect backpressure: a million lines piped to a file or `head` do not pile up in memory.
    if (!process.stdout.write(`${JSON.stringify(v)}\n`)) await new Promise((r) => process.stdout.once('drain', r));
  });
  if (!opts.json) printSummary(lines, flagged);
}

function printSummary(lines: number, flagged: LineVerdict[]): void {
  console.log(
    `${lines} lines, ${flagged.length} anomalous (${((100 * flagged.length) / Math.max(lines, 1)).toFixed(1)} %)`,
  );
  // One row per finding kind and template (the reason also carries each window's counts).
  const byReason = new Map<string, number[]>();
  for (const v of flagged) {
    const key = v.reason.replace(/^([\w-]+): .*?; (template ".*")$/, '$1: $2');
    byReason.set(key, [...(byReason.get(key) ?? []), v.line]);
  }
  if (byReason.size === 0) return;
  const table = new Table({ head: ['lines', 'first line', 'finding'], style: { head: [], border: [] } });
  for (const [reason, at] of [...byReason].sort((a, b) => b[1].length - a[1].length).slice(0, 20)) {
    table.push([at.length, at[0], reason.length > 110 ? `${reason.slice(0, 109)}…` : reason]);
  }
  console.log(table.toString());
}

function positiveInt(s: string, flag: string, zeroOk: boolean): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) {
    throw new InputError(flag, `expected a whole number${zeroOk ? '' : ' above 0'}, got "${s}"`);
  }
  return n;
}
