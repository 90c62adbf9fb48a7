/**
 * How large a series' evidence gets without a fault: the same statistic as the incident's
 * (metric-evidence.ts `scoreSeries`) computed on pseudo-incidents cut out of normal operation (each
 * block of normal rows judged against the other normal rows), the largest over the blocks. An entity's
 * evidence is its largest move over all its series, so an entity with many noisy series (a VM with 150
 * node metrics beside a container's 18) tops a ranking by chance; its own quiet-time maximum is the
 * yardstick that removes that (a permutation-style null per entity, as in Šidák's correction but
 * measured instead of assumed). Pure.
 */
import { scoreSeries, type SeriesIn } from './metric-evidence.js';
import type { WindowSplit } from './windows.js';

export const DEFAULTS = {
  /** Pseudo-incident blocks cut from normal operation (fewer when normal is short). */
  blocks: 3,
  /** Each block keeps at least this many normal rows on each side of the comparison. */
  minRows: 3,
};

/**
 * The pseudo-splits: normal rows in `blocks` consecutive blocks of equal length (at most the incident
 * window's length); each block is a pseudo-incident window, the remaining normal rows its baseline.
 * Empty when normal operation is too short to leave `minRows` on both sides.
 */
export function pseudoSplits(split: WindowSplit, o: typeof DEFAULTS = DEFAULTS): WindowSplit[] {
  const rows = split.normal;
  const len = Math.min(split.anomalous.length, Math.floor(rows.length / (o.blocks + 1)));
  if (len < o.minRows || rows.length - len < o.minRows) return [];
  const out: WindowSplit[] = [];
  for (let b = 0; b < o.blocks; b++) {
    // Blocks from the end of normal operation backwards (the rows nearest the incident first).
    const hi = rows.length - b * len,
      lo = hi - len;
    if (lo < 0) break;
    out.push({
      anomalous: rows.slice(lo, hi),
      normal: Int32Array.from([...rows.slice(0, lo), ...rows.slice(hi)]),
      step: split.step,
      seasonal: split.seasonal,
    });
  }
  return out;
}

/**
 * Per series: its largest evidence (`harm`) on the pseudo-incidents of normal operation, 0 when none or
 * when `wanted(i)` is false (an entity with no evidence now needs no yardstick: skipping it keeps the
 * cost to the entities that moved).
 */
export function quietHarm(
  series: readonly SeriesIn[],
  split: WindowSplit,
  wanted: (i: number) => boolean = () => true,
  o: typeof DEFAULTS = DEFAULTS,
): Float64Array {
  const out = new Float64Array(series.length);
  for (const ps of pseudoSplits(split, o))
    series.forEach((s, i) => {
      if (!wanted(i)) return;
      const m = scoreSeries(s, ps);
      if (m) out[i] = Math.max(out[i], m.harm);
    });
  return out;
}
