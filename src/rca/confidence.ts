/**
 * How much to trust a ranking, in [0, 1]: the top candidate's lead over the second (its share of the
 * top score), lowered for each missing piece of evidence the analysis noted (no traces, no logs, a short
 * or missing baseline, an entry that had to be guessed). A heuristic for people, not a calibrated
 * probability: it says "the evidence was thin", never "the answer is right". Pure.
 */
import type { CaseAnalysis } from './analyse-case.js';

export const DEFAULTS = {
  /** Factor per missing modality (metrics, traces, logs). */
  missingModality: 0.85,
  /** Factor for a short baseline; for none at all. */
  shortBaseline: 0.6,
  noBaseline: 0.2,
  /** Factor when the alarm named no entity. */
  guessedEntry: 0.8,
};

/** The ranking's stated confidence and the caveats behind it. */
export interface RankingConfidence {
  confidence: number;
  notes: string[];
}

/** Confidence of a ranking given its scores (best first). */
export function rankingConfidence(
  a: Pick<CaseAnalysis, 'coverage' | 'notes'>,
  scores: readonly number[],
  opts: Partial<typeof DEFAULTS> = {},
): RankingConfidence {
  const o = { ...DEFAULTS, ...opts };
  const top = scores[0] ?? 0,
    second = scores[1] ?? 0;
  let c = top > 0 ? Math.max(0, Math.min(1, (top - second) / top)) : 0;
  const cov = a.coverage;
  if (!cov.metrics) c *= o.missingModality;
  if (!cov.traces) c *= o.missingModality;
  if (!cov.logs) c *= o.missingModality;
  if (cov.baselineSamples === 0) c *= o.noBaseline;
  else if (a.notes.some((n) => n.startsWith('short baseline'))) c *= o.shortBaseline;
  if (!cov.entryGiven) c *= o.guessedEntry;
  return { confidence: Math.round(c * 100) / 100, notes: a.notes };
}
