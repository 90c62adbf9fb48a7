/**
 * Loghub samples as case-format logs (`timestamp,entity,level,message`, see the data README), so
 * `rootgraph logs check` and its evaluation read them exactly as they read an exported case. The
 * entity is the line's component (or program); BGL's label column never reaches the output.
 * Pure: rows in, rows out.
 */
import type { LoghubTruth } from './loghub.js';

/** One line of a case's `logs.csv`. */
export interface CaseLogRow {
  /** Unix seconds, perhaps fractional. */
  timestamp: number;
  entity: string;
  level: string;
  message: string;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/**
 * The rows of a Loghub sample in case format, in file order. Lines whose header holds no time the
 * parser knows get the previous line's time (Loghub samples are in time order).
 */
export function loghubToCaseRows(dataset: string, truth: LoghubTruth): CaseLogRow[] {
  let last = 0;
  return truth.rows.map((r, i) => {
    const t = rowTime(r);
    last = Number.isFinite(t) ? t : last;
    return {
      timestamp: last,
      entity: r.Component || r.Program || dataset,
      level: r.Level ?? '',
      message: truth.contents[i],
    };
  });
}

/** Unix seconds of a Loghub row from its Timestamp, or Date and Time columns (UTC); NaN if unknown. */
export function rowTime(r: Readonly<Record<string, string>>): number {
  if (r.Timestamp && /^\d+$/.test(r.Timestamp)) return Number(r.Timestamp);
  const date = r.Date ?? '';
  const time = r.Time ?? '';
  let m: RegExpExecArray | null;
  // 2015-10-18 18:01:47,978 (Hadoop, Zookeeper), 2017-05-16 00:00:00.008 (OpenStack)
  if ((m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(date))) return utc(+m[1], +m[2] - 1, +m[3], time);
  // 081109 203615 (HDFS)
  if ((m = /^(\d\d)(\d\d)(\d\d)$/.exec(date)) && /^\d{6}$/.test(time)) {
    return utc(2000 + +m[1], +m[2] - 1, +m[3], `${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4)}`);
  }
  // 17/06/09 20:10:40 (Spark)
  if ((m = /^(\d\d)\/(\d\d)\/(\d\d)$/.exec(date))) return utc(2000 + +m[1], +m[2] - 1, +m[3], time);
  // Sun Dec 04 04:47:44 2005 (Apache)
  if ((m = /^\w{3} (\w{3}) (\d\d?) (\d\d:\d\d:\d\d) (\d{4})$/.exec(time))) {
    return utc(+m[4], MONTHS[m[1].toLowerCase()] ?? 0, +m[2], m[3]);
  }
  // 10.30 16:49:06 (Proxifier: no year)
  if ((m = /^(\d\d)\.(\d\d) (\d\d:\d\d:\d\d)$/.exec(time))) return utc(2000, +m[1] - 1, +m[2], m[3]);
  return NaN;
}

function utc(year: number, month: number, day: number, time: string): number {
  const m = /^(\d\d):(\d\d):(\d\d)(?:[.,](\d+))?/.exec(time);
  if (!m) return NaN;
  const frac = m[4] ? Number(`0.${m[4]}`) : 0;
  return Date.UTC(year, month, day, +m[1], +m[2], +m[3]) / 1000 + frac;
}

/** Rows as CSV text with the header `timestamp,entity,level,message` (RFC 4180 quoting). */
export function toCaseLogsCsv(rows: readonly CaseLogRow[]): string {
  const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  let out = 'timestamp,entity,level,message\n';
  for (const r of rows) out += `${r.timestamp},${q(r.entity)},${q(r.level)},${q(r.message)}\n`;
  return out;
}
