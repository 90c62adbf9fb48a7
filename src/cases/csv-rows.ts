import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { parse as parseSync } from 'csv-parse/sync';
import { InputError } from '../errors.js';

/**
 * Lines of a file that held bytes that are not UTF-8 (a Latin-1 or Windows-1252 export): they are
 * decoded with U+FFFD in place of those bytes, and counted here so the reading can say so.
 */
export interface NotUtf8Lines {
  lines: number;
  /** The first such line (1-based); 0 when none. */
  firstLine: number;
}

/** A CSV data row with its 1-based row number in the file (the header is row 1). */
export interface CsvRow {
  row: number;
  cells: string[];
}

/**
 * Streams a CSV file: returns its header and an async iterator over data rows, checking that every
 * row has as many cells as the header. Errors are InputErrors naming file and row (the line a record
 * ends on; a syntax error names the line and column it is on). Blank and whitespace-only lines are
 * skipped. A header naming a column twice, or of one cell holding `;` or a tab (another delimiter),
 * is rejected. Lines holding bytes that are not UTF-8 are counted into `notUtf8` when given. A line
 * without a quote is split on commas directly; a record with a quote (which may
 * run over several lines, at most MAX_RECORD_LINES / MAX_RECORD_CHARS) is parsed by csv-parse. The
 * direct path reads a 786k-span traces.csv about seven times faster than csv-parse's stream, which
 * dominated `rca --case` on trace-rich cases.
 */
export async function* streamCsv(
  file: string,
  label = basename(file),
  notUtf8?: NotUtf8Lines,
): AsyncGenerator<CsvRow | { header: string[] }> {
  let header: string[] | null = null;
  try {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    const joiner = recordJoiner(label);
    let lineNo = 0;
    for await (const text of lines) {
      lineNo++;
      if (notUtf8 && text.includes('\uFFFD')) {
        notUtf8.lines++;
        if (notUtf8.firstLine === 0) notUtf8.firstLine = lineNo;
      }
      const record = joiner.push(text);
      if (record === null) continue;
      const cells = record.quoted
        ? parseRecord(record.text, { label, row: record.first, header })
        : record.text.split(',');
      if (header === null) {
        header = checkedHeader(
          cells.map((h) => h.trim()),
          label,
        );
        yield { header };
      } else if (cells.length !== header.length) {
        throw new InputError(
          `${label} › row ${record.last}`,
          `expected ${header.length} cells like the header, got ${cells.length}`,
        );
      } else yield { row: record.last, cells };
    }
    joiner.end();
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new InputError(label, 'file not found', { cause: err });
    throw new InputError(label, `not valid CSV: ${(err as Error).message}`, { cause: err });
  }
  if (header === null) throw new InputError(label, 'file is empty (expected a header row)');
}

/** A record may span this many lines (a log message with a stack trace) before a lone quote is taken for a typo. */
const MAX_RECORD_LINES = 10_000;
/** …or this many characters (1 MiB): a wide metrics.csv (~4 KB a row) would take 10,000 rows to reach the line cap. */
const MAX_RECORD_CHARS = 1 << 20;

/** The text of one record, the lines it runs over (1-based), and whether it holds a quote. */
interface RawRecord {
  text: string;
  first: number;
  last: number;
  quoted: boolean;
}

/**
 * Joins lines into records: a record whose quotes do not balance yet goes on over the next lines.
 * Each line's quotes are counted once, as it comes, so a stray quote costs one pass over the file,
 * not one pass over the gathered record per line; past the caps the open quote is reported at the
 * row it opened on. Strips a BOM on line 1 and skips whitespace-only lines between records.
 */
function recordJoiner(label: string): { push(text: string): RawRecord | null; end(): void } {
  let line = 0;
  let pending: string[] | null = null;
  let pendingChars = 0;
  let openedAt = 0;
  return {
    push(text) {
      line++;
      if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (pending === null) {
        if (text.trim() === '') return null;
        if (!text.includes('"')) return { text, first: line, last: line, quoted: false };
        if (quoteCount(text) % 2 === 0) return { text, first: line, last: line, quoted: true };
        [pending, pendingChars, openedAt] = [[text], text.length, line];
        return null;
      }
      pending.push(text);
      pendingChars += text.length + 1;
      // An odd count on a later line closes the quote the record opened with.
      if (quoteCount(text) % 2 === 1) {
        const record = { text: pending.join('\n'), first: openedAt, last: line, quoted: true };
        pending = null;
        return record;
      }
      if (pending.length > MAX_RECORD_LINES || pendingChars > MAX_RECORD_CHARS)
        throw new InputError(
          `${label} › row ${openedAt}`,
          `not valid CSV: a quoted field opened here is not closed within ${MAX_RECORD_LINES.toLocaleString('en')} lines or 1 MiB`,
        );
      return null;
    },
    end() {
      if (pending !== null)
        throw new InputError(`${label} › row ${openedAt}`, 'not valid CSV: a quoted field opened here is not closed');
    },
  };
}

function quoteCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}

/** Where a record starts in the file, and the header (null while the record is the header). */
interface RecordAt {
  label: string;
  row: number;
  header: readonly string[] | null;
}

/** One record with quotes, parsed by csv-parse. */
function parseRecord(text: string, at: RecordAt): string[] {
  try {
    return (parseSync(text, { relax_column_count: true, relax_quotes: false }) as string[][])[0] ?? [];
  } catch (err) {
    throw csvSyntaxError(err, at);
  }
}

/** What csv-parse's commonest errors mean, said in the words a person fixing the file needs. */
const SYNTAX_ERRORS: Record<string, string> = {
  INVALID_OPENING_QUOTE:
    'a quote inside a cell that does not start with one (quote the whole cell and double each " in it)',
  CSV_INVALID_CLOSING_QUOTE: 'text after the quote that closes a quoted cell (double each " inside the cell)',
};

/**
 * csv-parse's error, placed at the file's row and the column's name: csv-parse counts lines from the
 * record's own first line and fields from 0, which named "line 1" whatever the row.
 */
function csvSyntaxError(err: unknown, at: RecordAt): InputError {
  const {
    code = '',
    lines = 1,
    index,
    message,
  } = err as { code?: string; lines?: number; index?: number; message: string };
  const row = at.row + Math.max(lines - 1, 0);
  const column = typeof index === 'number' ? ` › column ${at.header?.[index] ?? index + 1}` : '';
  const what = SYNTAX_ERRORS[code] ?? clip(message.replace(/ at line \d+/, ''), 120);
  return new InputError(`${at.label} › row ${row}${column}`, `not valid CSV: ${what}`, { cause: err });
}

/**
 * The header, if it can be one: a single cell holding `;` or a tab means another delimiter (and
 * quoting it whole made a message of several KB), and a name given twice would be read from its
 * first column only. Empty names may repeat: spreadsheets pad rows with trailing commas.
 */
function checkedHeader(header: string[], label: string): string[] {
  if (header.length === 1 && /[;\t]/.test(header[0]))
    throw new InputError(
      `${label} › row 1`,
      `the header is one cell, "${clip(header[0], 120)}": the file must be comma-separated, not split by ${header[0].includes(';') ? 'semicolons' : 'tabs'}`,
    );
  const seen = new Map<string, number>();
  header.forEach((name, c) => {
    const first = seen.get(name);
    if (first !== undefined)
      throw new InputError(`${label} › row 1 › column ${c + 1}`, `"${name}" repeats column ${first + 1}`);
    if (name !== '') seen.set(name, c);
  });
  return header;
}

/** Maps required header names to column indexes; throws naming the missing or repeated column. */
export function columnIndex(header: string[], required: readonly string[], label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of required) {
    const i = header.indexOf(name);
    if (i < 0)
      throw new InputError(`${label} › row 1`, `missing column "${name}" (header: ${clip(header.join(','), 120)})`);
    if (header.indexOf(name, i + 1) >= 0)
      throw new InputError(
        `${label} › row 1 › column ${header.indexOf(name, i + 1) + 1}`,
        `"${name}" repeats column ${i + 1}`,
      );
    out[name] = i;
  }
  return out;
}

/** Number() also reads hex, binary and octal literals: no exporter writes a sample or a time so. */
const NON_DECIMAL = /^[+-]?0[xob]/i;

/** Parses a numeric cell: '' (and nan) → NaN; anything else non-numeric → InputError naming row and column. */
export function parseNumberCell(cell: string, where: string, opts: { allowEmpty: boolean }): number {
  const s = cell.trim();
  if (s === '' || /^nan$/i.test(s)) {
    if (opts.allowEmpty) return Number.NaN;
    throw new InputError(where, 'expected a number, got an empty cell');
  }
  const v = Number(s);
  // Overflow reads as Infinity: no sample either.
  if (!Number.isFinite(v) || NON_DECIMAL.test(s))
    throw new InputError(where, `expected a number, got "${shown(cell)}"`);
  return v;
}

const PLAIN_ID = /^[\w.:-]+$/;

/**
 * A copy of a cell that shares no memory with the line it was cut from. V8 keeps a cut of 13 or more
 * characters as a view into the whole line, so keeping millions of span ids kept every line (2M spans:
 * 829 → 453 MB of heap, at the same speed).
 */
export function detached(cell: string): string {
  if (cell.length < 13) return cell;
  return PLAIN_ID.test(cell) ? (JSON.parse(`"${cell}"`) as string) : Buffer.from(cell, 'utf8').toString('utf8');
}

/** One shared string per distinct value (entity, operation and status names repeat on every row). */
export function interner(): (value: string) => string {
  const pool = new Map<string, string>();
  return (value) => {
    const kept = pool.get(value);
    if (kept !== undefined) return kept;
    const own = detached(value);
    pool.set(own, own);
    return own;
  };
}

/** ISO 8601 date-time: date, T or space, time with optional fraction, optional zone (none = UTC). */
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses a time cell, in unix `unit`s or as an ISO 8601 date-time (exports of logs often write
 * those); a time without a zone is UTC. Anything else → InputError naming row and column.
 */
export function parseTimeCell(cell: string, where: string, unit: 's' | 'ns'): number {
  const s = cell.trim();
  const v = s === '' ? Number.NaN : Number(s);
  if (!Number.isNaN(v)) {
    if (!Number.isFinite(v) || v < 0 || NON_DECIMAL.test(s))
      throw new InputError(where, `expected a finite time of 0 or more, got "${shown(cell)}"`);
    return v;
  }
  if (s === '') throw new InputError(where, 'expected a number, got an empty cell');
  const iso = ISO_TIME.exec(s);
  if (!iso)
    throw new InputError(
      where,
      `expected unix ${unit === 's' ? 'seconds' : 'nanoseconds'} or an ISO 8601 time, got "${shown(cell)}"`,
    );
  const [, date, time, fraction = '', zone = 'Z'] = iso;
  const offset =
    zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${offset}`);
  if (Number.isNaN(ms)) throw new InputError(where, `not a valid date-time: "${shown(cell)}"`);
  // A date before 1970 is a negative unix time, which no exported sample has.
  if (ms < 0) throw new InputError(where, `expected a finite time of 0 or more, got "${shown(cell)}"`);
  const seconds = ms / 1000;
  const frac = fraction ? Number(`0.${fraction}`) : 0;
  return unit === 's' ? seconds + frac : seconds * 1e9 + Math.round(frac * 1e9);
}

/** A cell as an error message quotes it: the first 40 characters. */
function shown(cell: string): string {
  return clip(cell, 40);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
