/**
 * What the reader did to an export (normalise-case.ts) in plain lines, for every command that reads a
 * case: names read as another file's, time units, merged or gridded rows, counters read as rates, shared
 * series read as a host's, span names read as routes,
 * bytes that were not UTF-8. Pure.
 */
import type { CaseData } from './types.js';

/** What normalise-case.ts and the reader record of their changes. */
export type ReaderChanges = Pick<
  CaseData,
  'renamed' | 'timeUnits' | 'metricRows' | 'counters' | 'sharedHosts' | 'operationRoutes' | 'notUtf8'
>;

/** Shared hosts named one per line; more are counted in one. */
const SHOWN_HOSTS = 3;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line per kind of change; empty when the case was read as written. */
export function readingNotes(c: ReaderChanges): string[] {
  const lines: string[] = [];
  const renamed = c.renamed ?? [];
  if (renamed.length > 0) {
    const shown = renamed.slice(0, 3).map((r) => `${r.from} → ${r.to}`);
    const more = renamed.length > 3 ? `, and ${renamed.length - 3} more` : '';
    lines.push(`names read as the ones other files use: ${shown.join(', ')}${more}`);
  }
  for (const u of c.timeUnits ?? []) lines.push(`times read in ${u.unit}: ${u.what}`);
  const rows = c.metricRows;
  if (rows) {
    const parts = [
      ...(rows.mergedRows > 0 ? [`${plural(rows.mergedRows, 'row')} of a repeated timestamp merged`] : []),
      ...(rows.gridStepS !== null ? [`series sampled at their own times put on a ${rows.gridStepS} s grid`] : []),
    ];
    lines.push(`metrics.csv: ${parts.join('; ')}`);
  }
  const counters = c.counters ?? [];
  if (counters.length > 0) {
    const more = counters.length > 3 ? ', …' : '';
    lines.push(
      `${plural(counters.length, 'cumulative counter')} read as per-second rates (${counters.slice(0, 3).join(', ')}${more})`,
    );
  }
  // A cluster of many nodes makes a host each: the first few are named, the rest counted.
  const hosts = c.sharedHosts ?? [];
  for (const h of hosts.slice(0, SHOWN_HOSTS))
    lines.push(
      `${h.metrics.length} series identical on ${h.entities.join(', ')} (${[...new Set(h.metrics)].slice(0, 3).join(', ')}) read as their shared host's: "${h.host}"`,
    );
  if (hosts.length > SHOWN_HOSTS)
    lines.push(
      `and ${plural(hosts.length - SHOWN_HOSTS, 'more host')} made the same way for series identical on several entities`,
    );
  const routes = c.operationRoutes;
  if (routes)
    lines.push(
      `${plural(routes.names, 'span name')} with identifiers read as ${plural(routes.routes, 'route')} (${routes.example.from} → ${routes.example.to})`,
    );
  for (const n of c.notUtf8 ?? [])
    lines.push(
      `${n.file}: ${plural(n.lines, 'line')} held bytes that are not UTF-8 (the first is line ${n.firstLine}), read with � in their place: export it as UTF-8`,
    );
  return lines;
}

/** The kinds of change the reader made, in a word each ("names", "shared hosts"), for a progress line. */
export function readingKinds(c: ReaderChanges): string[] {
  return [
    ...(c.renamed?.length ? ['names'] : []),
    ...(c.timeUnits?.length ? ['time units'] : []),
    ...(c.metricRows ? ['metric rows'] : []),
    ...(c.counters?.length ? ['counters'] : []),
    ...(c.sharedHosts?.length ? ['shared hosts'] : []),
    ...(c.operationRoutes ? ['span routes'] : []),
    ...(c.notUtf8?.length ? ['not UTF-8'] : []),
  ];
}
