/**
 * Words for a ranking's stated confidence (confidence.ts), so a card can say "low" rather than a bare
 * number, and the measure of what each word has meant: how often the first suspect was right. The cuts
 * were chosen on the fit halves of `bench/rca-suite.json` only (BENCHMARKS.md): below 0.1 the first
 * suspect was right in half the cases, from 0.1 in 85 %, from 0.5 (simulated cases only) in all (session
 * 10; with the own-state rule of confidence.ts since, .32 / .93 / 1.00 on 223 fit cases).
 * Live, the runner-up is the best *other workload* (a Service's own pod ranked second is no rival:
 * src/flow/rca-job.ts rivalScores); offline cases hold one entity per service, so there the two agree.
 * Pure.
 */

export const CONFIDENCE_LEVELS = ['low', 'medium', 'high'] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

export const DEFAULTS = {
  /** Stated confidence at or above which a ranking is "medium", and "high". */
  medium: 0.1,
  high: 0.5,
};

export function confidenceLevel(confidence: number, opts: Partial<typeof DEFAULTS> = {}): ConfidenceLevel {
  const o = { ...DEFAULTS, ...opts };
  return confidence >= o.high ? 'high' : confidence >= o.medium ? 'medium' : 'low';
}

/** What a ranking said of itself, beside how it did (rank of the true cause, 0 = not a candidate). */
export interface StatedCase {
  confidence: number;
  rank: number;
}

export interface LevelAccuracy {
  cases: number;
  /** Share with the true cause first / in the top 3 (NaN with no case). */
  ac1: number;
  ac3: number;
}

/** Cases, AC@1 and AC@3 per confidence level. */
export function accuracyByLevel(cases: readonly StatedCase[]): Record<ConfidenceLevel, LevelAccuracy> {
  const out = {} as Record<ConfidenceLevel, LevelAccuracy>;
  for (const level of CONFIDENCE_LEVELS) {
    const at = cases.filter((c) => confidenceLevel(c.confidence) === level);
    const share = (ok: (r: number) => boolean) => at.filter((c) => ok(c.rank)).length / at.length;
    out[level] = { cases: at.length, ac1: share((r) => r === 1), ac3: share((r) => r >= 1 && r <= 3) };
  }
  return out;
}
