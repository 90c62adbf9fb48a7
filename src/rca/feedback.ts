/**
 * Feedback → weights. An engineer's "root cause is X" / "not X" on an incident nudges the metric-type
 * weights w_k, the fusion weights and the entity priors with a multiplicative-weights step (Littlestone
 * & Warmuth, "The Weighted Majority Algorithm", 1994), towards whatever separated the confirmed cause
 * from the candidates above it. Metric-type and fusion weights are tried first (they transfer to faults
 * of other entities); the entity prior joins only when they cannot lift the verdict. The step is guarded: it is re-ranked on the cases it came from and
 * halved until no confirmed cause drops and no rejected one rises; failing that, weights stay as they
 * were. So feedback can never make the ranking worse on the cases it was given. Pure.
 */
import type { CaseAnalysis } from './analyse-case.js';
import { combine, componentScores, type RcaMethod } from './rank-root-causes.js';
import { seededRng } from './rng.js';
import { COMPONENTS, priorOf, type RcaWeights } from './weights.js';

export const DEFAULTS = {
  /** Learning rate of the multiplicative step. */
  rate: 0.5,
  /** Additive prior step per confirmation / rejection. */
  priorStep: 0.05,
  /** Priors stay within ±this. */
  priorCap: 0.3,
  /** Metric-type and fusion weights stay within [min, max]. */
  minWeight: 0.05,
  maxWeight: 20,
  /** Times the step is halved before giving up. */
  halvings: 5,
  /** Seed for the walk while checking a step. */
  seed: 1,
};

/** One engineer verdict on one incident's candidate. */
export interface Feedback {
  /** The incident or case the verdict is about. */
  caseId: string;
  entity: string;
  verdict: 'root-cause' | 'not-root-cause';
  /** Optional: who said it and when (ms since epoch); kept for the graph's Feedback node. */
  by?: string;
  at?: number;
}

export interface FeedbackResult {
  weights: RcaWeights;
  /** True when a (possibly shrunk) step was taken; false when every step would have hurt. */
  accepted: boolean;
  /** The step scale finally used (1, 0.5, …; 0 when rejected). */
  scale: number;
}

/**
 * Applies a batch of feedback. `analyses` holds the analysis of every case named in `feedback`
 * (feedback on other cases is ignored). `method` is the ranking the feedback should improve.
 */
export function applyFeedback(
  weights: RcaWeights,
  feedback: readonly Feedback[],
  analyses: ReadonlyMap<string, CaseAnalysis>,
  method: RcaMethod = 'fused',
  opts: Partial<typeof DEFAULTS> & { guard?: readonly Feedback[] } = {},
): FeedbackResult {
  const o = { ...DEFAULTS, ...opts };
  const known = (f: Feedback) => analyses.has(f.caseId) && analyses.get(f.caseId)?.graph.index.has(f.entity);
  const usable = feedback.filter(known);
  if (usable.length === 0) return { weights, accepted: false, scale: 0 };
  // Protect the feedback itself plus any earlier verdicts the caller wants kept (replay).
  const guard = [...usable, ...(opts.guard ?? []).filter(known)];
  const before = guard.map((f) => rankOf(analyses.get(f.caseId) as CaseAnalysis, weights, method, f.entity, o.seed));
  const full = proposal(weights, usable, analyses, method, o.seed);
  // Weights that transfer to other entities first (metric types, fusion); an entity prior only when
  // they alone cannot lift the verdict, since a prior helps only when the same entity fails again.
  const general: Direction = { ...full, priors: {} };
  for (const [direction, needGain] of [
    [general, true],
    [full, false],
  ] as const) {
    for (let h = 0, scale = 1; h <= o.halvings; h++, scale /= 2) {
      const next = step(weights, direction, scale, o);
      let gain = false;
      const ok = guard.every((f, i) => {
        const r = rankOf(analyses.get(f.caseId) as CaseAnalysis, next, method, f.entity, o.seed);
        if (i < usable.length && (f.verdict === 'root-cause' ? r < before[i] : r > before[i])) gain = true;
        return f.verdict === 'root-cause' ? r <= before[i] : r >= before[i];
      });
      if (ok && (gain || !needGain)) return { weights: next, accepted: true, scale };
    }
  }
  return { weights, accepted: false, scale: 0 };
}

interface Direction {
  metricTypes: Record<string, number>;
  fusion: Record<string, number>;
  priors: Record<string, number>;
}

// Per weight, the summed margin of the confirmed cause over the best candidate ranked above it.
function proposal(
  w: RcaWeights,
  fb: readonly Feedback[],
  analyses: ReadonlyMap<string, CaseAnalysis>,
  method: RcaMethod,
  seed: number,
): Direction {
  const d: Direction = { metricTypes: {}, fusion: {}, priors: {} };
  for (const f of fb) {
    const a = analyses.get(f.caseId) as CaseAnalysis;
    const j = a.graph.index.get(f.entity) as number;
    const sign = f.verdict === 'root-cause' ? 1 : -1;
    d.priors[f.entity] = (d.priors[f.entity] ?? 0) + sign;
    const comp = componentScores(a, w, method, seededRng(seed));
    const score = combine(a, comp, w, method);
    const rivals = a.graph.nodes
      .map((_, i) => i)
      .filter((i) => i !== j && (sign > 0 ? score[i] >= score[j] : score[i] <= score[j]));
    if (rivals.length === 0) continue;
    for (const c of COMPONENTS) {
      let best = 0;
      for (const i of rivals) best = Math.max(best, comp[c][i]);
      d.fusion[c] = (d.fusion[c] ?? 0) + sign * (comp[c][j] - best);
    }
    const K = a.types.length;
    for (let k = 0; k < K; k++) {
      let best = 0,
        top = 0;
      for (let i = 0; i < a.graph.nodes.length; i++) top = Math.max(top, a.z[i * K + k]);
      if (top <= 0) continue;
      for (const i of rivals) best = Math.max(best, a.z[i * K + k]);
      const t = a.types[k];
      d.metricTypes[t] =
        (d.metricTypes[t] ?? 0) + (sign * (Math.log1p(a.z[j * K + k]) - Math.log1p(best))) / Math.log1p(top);
    }
  }
  return d;
}

function step(w: RcaWeights, d: Direction, scale: number, o: typeof DEFAULTS): RcaWeights {
  const clamp = (x: number) => Math.min(o.maxWeight, Math.max(o.minWeight, x));
  const metricTypes = { ...w.metricTypes };
  for (const [t, g] of Object.entries(d.metricTypes))
    metricTypes[t] = clamp((metricTypes[t] ?? 1) * Math.exp(o.rate * scale * Math.tanh(g)));
  const fusion = { ...w.fusion };
  for (const c of COMPONENTS) fusion[c] = clamp(fusion[c] * Math.exp(o.rate * scale * Math.tanh(d.fusion[c] ?? 0)));
  const entityPriors = { ...w.entityPriors };
  for (const [e, g] of Object.entries(d.priors)) {
    // A legacy name-keyed prior carries over into the entity's own key.
    entityPriors[e] = Math.max(-o.priorCap, Math.min(o.priorCap, priorOf(w, e) + o.priorStep * scale * g));
  }
  return { metricTypes, entityPriors, fusion };
}

/** 1-based rank of `entity` under `weights` (ties broken by name, as in rankRootCauses). */
export function rankOf(a: CaseAnalysis, weights: RcaWeights, method: RcaMethod, entity: string, seed: number): number {
  const score = combine(a, componentScores(a, weights, method, seededRng(seed)), weights, method);
  const j = a.graph.index.get(entity) as number;
  let rank = 1;
  for (let i = 0; i < score.length; i++) {
    if (
      i !== j &&
      (score[i] > score[j] || (score[i] === score[j] && a.graph.nodes[i].localeCompare(a.graph.nodes[j]) < 0))
    )
      rank++;
  }
  return rank;
}

/**
 * Replays known root causes as feedback, one case at a time in order (as engineers would give it),
 * every step guarded on all replayed cases, so none ends ranked worse than under `weights`.
 */
export function replayFeedback(
  weights: RcaWeights,
  rounds: ReadonlyArray<{ caseId: string; analysis: CaseAnalysis; rootCause: string }>,
  method: RcaMethod = 'fused',
  opts: Partial<typeof DEFAULTS> = {},
): RcaWeights {
  const analyses = new Map(rounds.map((r) => [r.caseId, r.analysis]));
  const all: Feedback[] = rounds.map((r) => ({ caseId: r.caseId, entity: r.rootCause, verdict: 'root-cause' }));
  let w = weights;
  for (const fb of all) w = applyFeedback(w, [fb], analyses, method, { ...opts, guard: all }).weights;
  return w;
}
