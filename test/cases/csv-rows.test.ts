import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  columnIndex,
  detached,
  interner,
  parseNumberCell,
  parseTimeCell,
  streamCsv,
} from '../../src/cases/csv-rows.js';

const dir = mkdtempSync(join(tmpdir(), 'rg-csv-'));
async function rows(text: string): Promise<Array<{ row?: number; cells?: string[]; header?: string[] }>> {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  const out: Array<{ row?: number; cells?: string[]; header?: string[] }> = [];
  for await (const r of streamCsv(file, 'f.csv')) out.push(r);
  return out;
}

describe('streamCsv', () => {
  it('reads what csv-parse reads: quotes, commas and newlines inside quotes, doubled quotes, BOM, blank lines', async () => {
    const text =
      '\uFEFFtimestamp,entity,level,message\n' +
      '1,cart,INFO,plain\n' +
      '\n' +
      '2,cart,ERROR,"a, b"\n' +
      '3,"pay",WARN,"line one\nline two, ""quoted""\n\nafter a blank line"\n' +
      '4,cart,INFO,\n' +
      '\n';
    const got = await rows(text);
    const want = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
    expect(got[0].header).toEqual(want[0]);
    expect(got.slice(1).map((r) => r.cells)).toEqual(want.slice(1));
    // Rows are the line a record ends on, as csv-parse counts them.
    expect(got.slice(1).map((r) => r.row)).toEqual([2, 4, 8, 9]);
  });

  it('reads CRLF line ends as csv-parse does', async () => {
    const text = 'a,b\r\n1,"x, y"\r\n\r\n2,z\r\n';
    expect((await rows(text)).slice(1).map((r) => r.cells)).toEqual(parse(text, { skip_empty_lines: true }).slice(1));
  });

  it('names the row of a short record and of an unclosed quote', async () => {
    await expect(rows('a,b\n1,2\n3\n')).rejects.toThrow(/f\.csv › row 3: expected 2 cells like the header, got 1/);
    await expect(rows('a,b\n1,"2\n3,4\n')).rejects.toThrow(/f\.csv › row 2: .*quoted field opened here is not closed/);
    await expect(rows('')).rejects.toThrow(/file is empty/);
  });

  it('reads CR-only line ends, blank lines of CRs included', async () => {
    const got = await rows('a,b\r1,"x, y"\r\r2,z\r');
    expect(got.slice(1)).toEqual([
      { row: 2, cells: ['1', 'x, y'] },
      { row: 4, cells: ['2', 'z'] },
    ]);
  });

  it('reads a stray quote in one pass and names the row it is on', async () => {
    // 40,000 lines after an unclosed quote: gathering them used to re-scan the whole record per line.
    const text = `a,b\n1,x\n2,"oops\n${'3,y\n'.repeat(40_000)}`;
    await expect(rows(text)).rejects.toThrow(
      /^f\.csv › row 3: not valid CSV: a quoted field opened here is not closed within 10,000 lines or 1 MiB$/,
    );
  });

  it('caps a record at 1 MiB as well as at 10,000 lines, and reads a long record under both', async () => {
    const wide = `${'9.25,'.repeat(199)}9.25\n`; // 1 KB a line, as in a wide metrics.csv
    const stray = `a,b\n1,x\n2,"oops\n${`3,${wide}`.repeat(2_000)}`;
    await expect(rows(stray)).rejects.toThrow(/^f\.csv › row 3: .*not closed within 10,000 lines or 1 MiB$/);
    const trace = `at frame\n`.repeat(5_000);
    const got = await rows(`a,b\n1,"${trace}"\n2,y\n`);
    expect(got.slice(1).map((r) => [r.row, r.cells?.[1].length])).toEqual([
      [5_002, trace.length],
      [5_003, 1],
    ]);
  });

  it("names the file's row and the column's name for a quote inside an unquoted cell", async () => {
    const logs = 'timestamp,entity,level,message\n1,a,INFO,x\n2,a,INFO,y\n3,a,INFO,say "hi" there\n';
    await expect(rows(logs)).rejects.toThrow(
      /^f\.csv › row 4 › column message: not valid CSV: a quote inside a cell that does not start with one \(quote the whole cell and double each " in it\)$/,
    );
    await expect(rows('timestamp,x|m\n1,2\n2,1"2"\n')).rejects.toThrow(
      /^f\.csv › row 3 › column x\|m: not valid CSV: a quote inside/,
    );
    // csv-parse counts lines from the record's first line: the error is on the file's row 4, not "line 2".
    await expect(rows('a,b\n1,x\n2,"one\ntwo" three\n')).rejects.toThrow(
      /^f\.csv › row 4 › column b: not valid CSV: text after the quote that closes a quoted cell/,
    );
    await expect(rows('a,b"c"\n1,2\n')).rejects.toThrow(/^f\.csv › row 1 › column 2: not valid CSV: a quote inside/);
  });

  it('skips whitespace-only lines like empty ones', async () => {
    expect(await rows('a,b\n1,2\n  \n\t\n3,4\r\n \r\n')).toEqual([
      { header: ['a', 'b'] },
      { row: 2, cells: ['1', '2'] },
      { row: 5, cells: ['3', '4'] },
    ]);
  });

  it('rejects a header of one cell split by semicolons or tabs, quoting at most 120 characters of it', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `service${i}|latency_p99`);
    const semicolons = rows(`timestamp;${names.join(';')}\n1;2\n`);
    await expect(semicolons).rejects.toThrow(
      /^f\.csv › row 1: the header is one cell, "timestamp;service0\|.{90,}…": the file must be comma-separated, not split by semicolons$/,
    );
    const message = await rows(`timestamp;${names.join(';')}\n`).catch((err: Error) => err.message);
    expect(message.length).toBeLessThan(250);
    await expect(rows('timestamp\tentity\n1\ta\n')).rejects.toThrow(
      /row 1: .*must be comma-separated, not split by tabs/,
    );
  });

  it('rejects a header naming a column twice, in any file; empty names may repeat', async () => {
    await expect(rows('timestamp,entity,level,message,note,note\n1,a,INFO,x,y,z\n')).rejects.toThrow(
      /^f\.csv › row 1 › column 6: "note" repeats column 5$/,
    );
    await expect(rows('timestamp,entity,level,message,entity\n')).rejects.toThrow(
      /column 5: "entity" repeats column 2/,
    );
    expect((await rows('a,b,,\n1,2,,\n'))[1]).toEqual({ row: 2, cells: ['1', '2', '', ''] });
  });
});

describe('columnIndex', () => {
  it('rejects a required column named twice, naming the second', () => {
    expect(() => columnIndex(['t', 'status', 'status'], ['t', 'status'], 'x.csv')).toThrow(
      /x\.csv › row 1 › column 3: "status" repeats column 2/,
    );
  });
});

describe('parseNumberCell', () => {
  it('rejects what is no sample: infinities, overflow and hex alike', () => {
    for (const cell of ['inf', 'Infinity', '-Infinity', '1e400', '0x10', '0b1'])
      expect(() => parseNumberCell(cell, 'w', { allowEmpty: true }), cell).toThrow(/expected a number/);
    expect(parseNumberCell('1e3', 'w', { allowEmpty: true })).toBe(1000);
    expect(parseNumberCell('-0.5', 'w', { allowEmpty: true })).toBe(-0.5);
    expect(parseNumberCell('010', 'w', { allowEmpty: true })).toBe(10);
  });
});

describe('detached', () => {
  it('copies ids and free text exactly, escapes and non-ASCII included', () => {
    const line = 'f5a9b5da28e567121056d67255366ea7,a\\"b\\\\nc-déjà-vu-ñandú-𝄞-long,short';
    for (const cell of line.split(',')) expect(detached(cell)).toBe(cell);
    expect(detached('')).toBe('');
  });
});

describe('interner', () => {
  it('gives equal values and keeps distinct ones apart', () => {
    const name = interner();
    const a = name('cartservice-operation-name');
    expect(name('cartservice-operation-name'.slice(0))).toBe(a);
    expect(name('cartservice-operation-other')).toBe('cartservice-operation-other');
  });
});

describe('parseTimeCell: what is no time', () => {
  it('rejects negative, endless and hex times, naming where', () => {
    for (const cell of ['-1700000000', '-0.5', 'Infinity', '-Infinity', '1e400', '0x10', '1969-12-31T23:59:59Z'])
      expect(() => parseTimeCell(cell, 'logs.csv › row 3 › column timestamp', 's'), cell).toThrow(
        /^logs\.csv › row 3 › column timestamp: expected a finite time of 0 or more, got "/,
      );
    expect(parseTimeCell('0', 'w', 's')).toBe(0);
    expect(parseTimeCell('1970-01-01T00:00:00Z', 'w', 'ns')).toBe(0);
  });
});

describe('parseTimeCell', () => {
  it('reads unix numbers as they are and ISO 8601 date-times in the unit asked for', () => {
    expect(parseTimeCell('1700000000.5', 'w', 's')).toBe(1_700_000_000.5);
    expect(parseTimeCell('2023-11-14T22:13:20Z', 'w', 's')).toBe(1_700_000_000);
    expect(parseTimeCell('2023-11-14 22:13:20', 'w', 's')).toBe(1_700_000_000); // no zone: UTC
    expect(parseTimeCell('2023-11-15T00:13:20+02:00', 'w', 's')).toBe(1_700_000_000);
    expect(parseTimeCell('2023-11-15T00:13:20+0200', 'w', 's')).toBe(1_700_000_000);
    expect(parseTimeCell('2023-11-14T22:13Z', 'w', 's')).toBe(1_699_999_980);
    // Nanoseconds as a double: exact to 256 ns at today's epoch (the fraction is not lost to Date's ms).
    expect(parseTimeCell('2023-11-14T22:13:20.123456789Z', 'w', 'ns') - 1_700_000_000e9).toBeCloseTo(123_456_789, -3);
    expect(parseTimeCell('2023-11-14T22:13:20,25Z', 'w', 's')).toBe(1_700_000_000.25);
  });

  it('names the row and column of anything else', () => {
    expect(() => parseTimeCell('yesterday', 'logs.csv › row 3 › column timestamp', 's')).toThrow(
      /logs\.csv › row 3 › column timestamp.*unix seconds or an ISO 8601 time, got "yesterday"/,
    );
    expect(() => parseTimeCell('', 'w', 'ns')).toThrow(/empty cell/);
    expect(() => parseTimeCell('2023-13-45T99:99:99Z', 'w', 's')).toThrow(/not a valid date-time/);
  });
});
