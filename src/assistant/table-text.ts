import type { CypherResult } from '../graph/graph-store.js';

/** A Cypher result as a fixed-width text table (cells cut at `width` characters). Pure. */
export function tableText(t: CypherResult, width = 40): string {
  const cells = t.rows.map((r) => r.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'null'))));
  const w = t.columns.map((c, i) => Math.min(width, Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length))));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (v ?? '').slice(0, w[i]).padEnd(w[i]))
      .join(' | ')
      .trimEnd();
  return [line(t.columns), w.map((n) => '-'.repeat(n)).join('-+-'), ...cells.map(line)].join('\n');
}
