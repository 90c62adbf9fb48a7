/**
 * Loghub benchmark data (Zhu et al., "Loghub", ISSRE 2023): the `_structured.csv` ground truth
 * (one row per line: header fields, `Content`, `EventId`, `EventTemplate`). Parsing only; the
 * caller reads the file.
 */
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';

/** The ground truth of one Loghub sample, one entry per log line. */
export interface LoghubTruth {
  contents: string[];
  eventIds: string[];
  /** The `Level` column where the dataset has one, else empty strings. */
  levels: string[];
  /** The true templates (`EventTemplate`), where the file has them, else empty strings. */
  templates: string[];
  /** Every column of every row (header fields such as Date, Time, Component, BGL's Label). */
  rows: Record<string, string>[];
}

/** Log formats of the Loghub samples, as Loghub's benchmark publishes them (header layout only). */
export const LOGHUB_FORMATS: Readonly<Record<string, string>> = {
  HDFS: '<Date> <Time> <Pid> <Level> <Component>: <Content>',
  Hadoop: '<Date> <Time> <Level> [<Process>] <Component>: <Content>',
  Spark: '<Date> <Time> <Level> <Component>: <Content>',
  Zookeeper: '<Date> <Time> - <Level>  [<Node>:<Component>@<Id>] - <Content>',
  BGL: '<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>',
  OpenStack: '<Logrecord> <Date> <Time> <Pid> <Level> <Component> [<ADDR>] <Content>',
  Apache: '[<Time>] [<Level>] <Content>',
  Proxifier: '[<Time>] <Program> - <Content>',
};

/** Parses `<D>_2k.log_structured.csv` text. `where` names the file in errors. */
export function parseLoghubStructured(csv: string, where: string): LoghubTruth {
  let rows: Record<string, string>[];
  try {
    rows = parse(csv, { columns: true, skip_empty_lines: true, relax_quotes: true }) as Record<string, string>[];
  } catch (err) {
    throw new InputError(where, `not a CSV file: ${(err as Error).message}`, { cause: err });
  }
  if (rows.length === 0) throw new InputError(where, 'has no rows');
  for (const col of ['Content', 'EventId']) {
    if (!(col in rows[0])) throw new InputError(where, `has no "${col}" column`);
  }
  return {
    contents: rows.map((r) => r.Content),
    eventIds: rows.map((r) => r.EventId),
    levels: rows.map((r) => r.Level ?? ''),
    templates: rows.map((r) => r.EventTemplate ?? ''),
    rows,
  };
}
