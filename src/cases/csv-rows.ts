import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { InputError } from '../errors.js';

/** A CSV data row with its 1-based row number in the file (the header is row 1). */
export interface CsvRow {
  row: number;
  cells: string[];
}

/**
 * Streams a CSV file: returns its header and an async iterator over data rows, checking that every
 * row has as many cells as the header. Errors are InputErrors naming file and row.
 */
export async function* streamCsv(file: string, label = basename(file)): AsyncGenerator<CsvRow | { header: string[] }> {
  const parser = createReadStream(file).pipe(
    parse({ relax_column_count: true, skip_empty_lines: true, bom: true, info: true }),
  );
  let header: string[] | null = null;
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const row = rec.info.lines;
      if (header === null) {
        header = rec.record.map((h) => h.trim());
        yield { header };
        continue;
      }
      if (rec.record.length !== header.length) {
        throw new InputError(
          `${label} › row ${row}`,
          `expected ${header.length} cells like the header, got ${rec.record.length}`,
        );
      }
      yield { row, cells: rec.record };
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new InputError(label, 'file not found', { cause: err });
    throw new InputError(label, `not valid CSV: ${(err as Error).message}`, { cause: err });
  }
  if (header === null) throw new InputError(label, 'file is empty (expected a header row)');
}

/** Maps required header names to column indexes; throws naming the missing column. */
export function columnIndex(header: string[], required: readonly string[], label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of required) {
    const i = header.indexOf(name);
    if (i < 0) throw new InputError(`${label} › row 1`, `missing column "${name}" (header: ${header.join(',')})`);
    out[name] = i;
  }
  return out;
}

/** Parses a numeric cell: '' (and nan) → NaN; anything else non-numeric → InputError naming row and column. */
export function parseNumberCell(cell: string, where: string, opts: { allowEmpty: boolean }): number {
  const s = cell.trim();
  if (s === '' || /^nan$/i.test(s)) {
    if (opts.allowEmpty) return Number.NaN;
    throw new InputError(where, 'expected a number, got an empty cell');
  }
  const v = Number(s);
  if (Number.isNaN(v))
    throw new InputError(where, `expected a number, got "${cell.length > 40 ? `${cell.slice(0, 40)}…` : cell}"`);
  return v;
}
