/**
 * Leave-one-dataset-out for the miner's knobs: each dataset is scored with the setting that does
 * best on the other datasets (mean GA), so no dataset's score comes from knobs fitted on it. The
 * mean over datasets estimates GA on a system the knobs never saw. Pure and deterministic.
 */
import { DEFAULTS, type MinerOptions } from './drain.js';
import { scoreLoghub } from './eval-loghub.js';
import type { LoghubTruth } from './loghub.js';

/** The knobs tried: the default first, so ties keep it. */
export function knobGrid(): Array<Partial<MinerOptions>> {
  const grid: Array<Partial<MinerOptions>> = [];
  for (const wordVariableAfter of [3, 4, 5, 6, 8]) {
    for (const similarity of [0.4, 0.5, 0.6]) {
      for (const prefixTokens of [0, 1, 2]) grid.push({ wordVariableAfter, similarity, prefixTokens });
    }
  }
  const isDefault = (k: Partial<MinerOptions>) =>
    k.wordVariableAfter === DEFAULTS.wordVariableAfter &&
    k.similarity === DEFAULTS.similarity &&
    k.prefixTokens === DEFAULTS.prefixTokens;
  return [...grid.filter(isDefault), ...grid.filter((k) => !isDefault(k))];
}

/** One held-out dataset: the knobs chosen on the others, their mean GA there, and GA here. */
export interface LodoRow {
  dataset: string;
  knobs: Partial<MinerOptions>;
  othersGA: number;
  ga: number;
}

/** Runs leave-one-dataset-out over `truths` (at least two datasets) and the knob grid. */
export function leaveOneDatasetOut(
  truths: ReadonlyMap<string, LoghubTruth>,
  grid: ReadonlyArray<Partial<MinerOptions>> = knobGrid(),
): { rows: LodoRow[]; meanGA: number } {
  const names = [...truths.keys()];
  // GA of every setting on every dataset, computed once.
  const ga = grid.map((knobs) => names.map((d) => scoreLoghub(d, truths.get(d) as LoghubTruth, knobs).accuracy));
  const rows = names.map((dataset, held) => {
    let best = 0;
    let bestMean = -1;
    ga.forEach((row, k) => {
      const others = row.reduce((s, x, i) => (i === held ? s : s + x), 0) / (names.length - 1);
      if (others > bestMean + 1e-12) {
        best = k;
        bestMean = others;
      }
    });
    return { dataset, knobs: grid[best], othersGA: bestMean, ga: ga[best][held] };
  });
  return { rows, meanGA: rows.reduce((s, r) => s + r.ga, 0) / rows.length };
}
