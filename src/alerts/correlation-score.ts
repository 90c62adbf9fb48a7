/**
 * The score that decides whether an alert joins an incident: a weighted sum of time proximity,
 * knowledge-graph proximity and text similarity, plus a learned bias per pair of alert names —
 * the linear event-correlation score of e.g. Lin et al., KDD 2016, with weights that human
 * corrections adjust (see learn-from-corrections.ts). Graph and text evidence count fully for
 * alerts close in time and half for alerts far apart, so topology alone cannot tie together events
 * minutes apart on neighbouring services; the score stays linear in the weights, so they can be learned. Time proximity fades exponentially, like the
 * fading function 2^(−λ·Δt) of stream clustering (Cao et al., "Density-based clustering over an
 * evolving data stream with noise" (DenStream), SDM 2006), so an incident's pull on a weakly related
 * alert decays within minutes while closely related alerts still join anywhere in the window.
 */

/** Weights of the three signals, the join threshold, and learned biases per alert-name pair. */
export interface CorrelationWeights {
  time: number;
  topology: number;
  text: number;
  /** An alert joins the best incident whose score reaches this. */
  threshold: number;
  /** Added to the score of a pair of alert names (key from `pairKey`); learned from corrections. */
  pairBias: Record<string, number>;
}

/** The three similarities of an alert pair (or an alert and an incident), each in [0, 1]. */
export interface PairFeatures {
  time: number;
  topology: number;
  text: number;
}

/** Knobs for correlation. */
export const DEFAULTS = {
  /** Alerts starting further apart than this are never grouped, ms (15 min, the usual default). */
  windowMs: 15 * 60_000,
  /** Entities further apart than this many hops are unrelated. */
  maxHops: 3,
  /** Time proximity halves every this many ms (the fading half-life). */
  halfLifeMs: 5 * 60_000,
  /** A lone recurrent alert whose episode began at most this long before a new incident's first alert joins it, ms (one notification batch). */
  adoptMs: 60_000,
  /** An incident with an alert still firing stays ongoing (happening now) for at most this long after its latest start, ms. */
  ongoingMaxMs: 60 * 60_000,
  /** Once every alert of an incident has resolved, new alerts may join it for only this long, ms (Alertmanager's default resolve_timeout). */
  endedGraceMs: 5 * 60_000,
  /** A lone alert's own incident takes back its later episodes that correlate with nothing else for this long after its last activity, ms (a day). */
  reopenLoneMs: 24 * 3600_000,
  /** Topology similarity when the graph cannot say (entity unknown or no topology given). */
  unknownTopology: 0.25,
  weights: { time: 0.2, topology: 0.55, text: 0.25, threshold: 0.5, pairBias: {} } as CorrelationWeights,
} as const;

/**
 * Time proximity: 1 at the same instant, halving every `halfLifeMs`, 0 beyond the window (a hard
 * gate). Pure; symmetric in the sign of `dtMs`.
 */
export function timeSimilarity(dtMs: number, windowMs: number, halfLifeMs: number = DEFAULTS.halfLifeMs): number {
  const dt = Math.abs(dtMs);
  return dt > windowMs ? 0 : 2 ** (-dt / halfLifeMs);
}

/** Graph proximity from hops: 1 for the same entity, falling to ½ at `maxHops`, 0 beyond. */
export function topologySimilarity(hops: number, maxHops: number): number {
  return hops > maxHops ? 0 : 1 - (0.5 * hops) / (maxHops + 1);
}

/** Order-free key for a pair of alert names. */
export function pairKey(a: string, b: string): string {
  return a <= b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** What each weight multiplies: time proximity, and graph and text similarity scaled by ½ + ½·time. Pure. */
export function scoreTerms(f: PairFeatures): PairFeatures {
  const near = 0.5 + 0.5 * f.time;
  return { time: f.time, topology: f.topology * near, text: f.text * near };
}

/** The weighted score of features, without any pair bias. Pure. */
export function pairScore(f: PairFeatures, w: CorrelationWeights): number {
  const t = scoreTerms(f);
  return w.time * t.time + w.topology * t.topology + w.text * t.text;
}
