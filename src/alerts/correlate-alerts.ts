/**
 * Streaming alert-to-incident correlation: each alert joins the active group it scores highest
 * with (time × knowledge-graph distance × text similarity, see correlation-score.ts) when that
 * score reaches the threshold, else opens a new group — online single-linkage clustering with a
 * time gate, as in event-correlation systems (Lin et al., KDD 2016; Chen et al., "Identifying
 * linked incidents in large-scale online service systems", FSE 2020). Humans can merge and split;
 * their corrections retune the weights (learn-from-corrections.ts).
 *
 * This file is the facade. The parts: alert-registry.ts (alerts, their home groups), group-lifecycle.ts
 * (groups: open, ongoing, ended, promoted, forgotten), group-placement.ts (which group an episode
 * joins), group-score.ts (the score), group-corrections.ts (merge, split, learning).
 */
import type { ActionableOptions } from './actionable.js';
import { type AlertGroup, type CorrelatedAlert, toAlertGroup } from './alert-group.js';
import { AlertRegistry } from './alert-registry.js';
import { alertSignature } from './alert-similarity.js';
import type { TopologyEdge } from './causal-distance.js';
import { type CorrelationWeights, type PairFeatures, DEFAULTS } from './correlation-score.js';
import { GroupCorrections } from './group-corrections.js';
import { GroupLifecycle } from './group-lifecycle.js';
import { GroupPlacement } from './group-placement.js';
import { GroupProximity } from './group-proximity.js';
import { GroupScorer } from './group-score.js';
import type { Correction } from './learn-from-corrections.js';

export type { AlertGroup, CorrelatedAlert };

/** Options of the correlator; everything defaults to `DEFAULTS` of correlation-score.ts. */
export interface CorrelatorOptions {
  /** Knowledge-graph relationships between entities (CALLS, RUNS_ON, SELECTS, MANAGES). */
  topology?: readonly TopologyEdge[];
  windowMs?: number;
  /** Half-life of time proximity, ms. */
  halfLifeMs?: number;
  /** How recently a lone recurrent alert's episode may have begun to be adopted by a new strong group, ms. */
  adoptMs?: number;
  /** How long a group with an alert still firing stays ongoing after its latest start, ms. */
  ongoingMaxMs?: number;
  /** How long a group whose alerts have all resolved still takes new alerts, ms. */
  endedGraceMs?: number;
  /** How long a lone alert's own group stays the home of its later episodes that correlate with nothing else, ms. */
  reopenLoneMs?: number;
  maxHops?: number;
  unknownTopology?: number;
  weights?: Partial<CorrelationWeights>;
  /** Earlier corrections to learn from before the first alert. */
  corrections?: readonly Correction[];
  /** When a group is an incident rather than a watch item (actionable.ts). */
  actionable?: Partial<ActionableOptions>;
  /** Cap on labelled pairs kept per correction (deterministic sample). */
  maxExamples?: number;
}

/**
 * An online alert correlator. Deterministic: the same alerts in the same order give the same groups.
 * Group ids are `inc-<n>`; a group is an incident to post or a watch item (actionable.ts).
 */
export class AlertCorrelator {
  /** Every correction so far, oldest first (the ones given as options included). */
  readonly corrections: Correction[];
  private readonly proximity: GroupProximity;
  private readonly registry = new AlertRegistry();
  private readonly groups: GroupLifecycle;
  private readonly scorer: GroupScorer;
  private readonly placement: GroupPlacement;
  private readonly fixes: GroupCorrections;

  constructor(opts: CorrelatorOptions = {}) {
    const o = withDefaults(opts);
    const base: CorrelationWeights = {
      ...DEFAULTS.weights,
      ...opts.weights,
      pairBias: { ...DEFAULTS.weights.pairBias, ...opts.weights?.pairBias },
    };
    this.proximity = new GroupProximity(opts.topology, o.maxHops, o.unknownTopology);
    this.groups = new GroupLifecycle(this.registry, this.proximity, { ...o, actionable: opts.actionable ?? {} });
    this.scorer = new GroupScorer(this.groups, this.proximity, o, base);
    this.placement = new GroupPlacement(this.groups, this.registry, this.scorer, this.proximity, o);
    this.fixes = new GroupCorrections(this.groups, this.registry, this.scorer, { base, ...o }, opts.corrections);
    this.corrections = this.fixes.corrections;
  }

  /** Replaces the topology distances are measured on (the system changed); groups so far stay as they are. */
  setTopology(topology: readonly TopologyEdge[]): void {
    this.proximity.setTopology(topology);
  }

  /** The weights in use (the base adjusted by the corrections so far). */
  currentWeights(): CorrelationWeights {
    const w = this.scorer.weights;
    return { ...w, pairBias: { ...w.pairBias } };
  }

  /**
   * Correlates one alert episode (a first firing, or a re-fire) at `alert.startsAt` and returns its
   * group's id. A re-fire stays in its group while that was active at its start; a recurrent
   * (chronic) episode joins nothing new unless a storm adopts it as it starts (group-placement.ts).
   */
  add(alert: CorrelatedAlert): string {
    // The clock never runs ahead of when the alert was heard (a clock-skewed source cannot age everything else).
    this.groups.advance(Math.min(alert.startsAt, alert.heardAt ?? alert.startsAt));
    const a = { ...alert, sig: alertSignature(alert.name, alert.labels) };
    this.registry.fire(a);
    return this.placement.place(a).id;
  }

  /**
   * Moves the clock to `t` (alert time): drops from the candidates what even a late episode could not
   * join, and turns watch items whose alert has fired without a break for `sustainedMs` into incidents.
   */
  tick(t: number): void {
    this.groups.advance(t);
  }

  /**
   * Ids of watch items that became incidents by time alone and were not yet acknowledged (still
   * merged-away or forgotten ones are left out). Call `ackPromoted` once they are posted, so a failed post is retried.
   */
  pendingPromoted(): string[] {
    return this.groups.pendingPromoted();
  }

  /** Marks promotions as posted. */
  ackPromoted(ids: readonly string[]): void {
    this.groups.ackPromoted(ids);
  }

  /**
   * Notes that an alert's latest episode resolved at `at`: once none of its group's alerts
   * fires, the group is no longer ongoing and only the time window keeps it open. Unknown alerts are ignored.
   */
  resolve(fingerprint: string, at: number): void {
    this.groups.resolve(fingerprint, at);
  }

  /** The group an alert was last placed in, or undefined. */
  incidentOf(fingerprint: string): string | undefined {
    return this.registry.homeOf(fingerprint)?.id;
  }

  /** One group as a plain record, or undefined (unknown, merged away or emptied). */
  incident(id: string): AlertGroup | undefined {
    return this.groups.snapshot(id);
  }

  /** Groups not merged away, oldest first, as plain records. */
  incidents(): AlertGroup[] {
    return this.groups.snapshots();
  }

  /**
   * Forgets groups with nothing since `before` (no alert firing in them, none started since) and
   * the alerts that live only there: a long-running process keeps the state of what is going on, not
   * all history. Returns the forgotten group ids and alerts' fingerprints; a later notification of one is a new alert.
   */
  forget(before: number): { incidents: string[]; fingerprints: string[] } {
    const { groups, fingerprints } = this.groups.forget(before);
    return { incidents: groups, fingerprints };
  }

  /**
   * Breaks of the correlator's own bookkeeping, as messages (none when consistent): every alert's
   * home lists it and holds its latest episode, firing state sits only in its home, candidates and
   * promotions point at live groups. For property tests and diagnostics; O(state).
   */
  selfCheck(): string[] {
    return this.groups.selfCheck();
  }

  /** Human merge: `fromId`'s alerts move into `intoId`; returns the kept correction (also used to learn). */
  merge(intoId: string, fromId: string, at: number): Correction {
    return this.fixes.merge(intoId, fromId, at);
  }

  /** Human split: `fingerprints` leave group `incidentId` for a new group; returns it and the correction. */
  split(
    incidentId: string,
    fingerprints: readonly string[],
    at: number,
  ): { incident: AlertGroup; correction: Correction } {
    const { group, correction } = this.fixes.split(incidentId, fingerprints, at);
    return { incident: toAlertGroup(group), correction };
  }

  /** The similarities of two known alerts, as a correction example records them; throws InputError for an unknown one. */
  pairFeatures(fpA: string, fpB: string): PairFeatures {
    return this.scorer.pairFeatures(this.registry.known(fpA, 'pairFeatures'), this.registry.known(fpB, 'pairFeatures'));
  }
}

/** Every knob but the topology, weights, corrections and actionable rule, defaulted. */
function withDefaults(
  opts: CorrelatorOptions,
): Required<Omit<CorrelatorOptions, 'topology' | 'weights' | 'corrections' | 'actionable'>> {
  return {
    windowMs: opts.windowMs ?? DEFAULTS.windowMs,
    halfLifeMs: opts.halfLifeMs ?? DEFAULTS.halfLifeMs,
    adoptMs: opts.adoptMs ?? DEFAULTS.adoptMs,
    reopenLoneMs: opts.reopenLoneMs ?? DEFAULTS.reopenLoneMs,
    ongoingMaxMs: opts.ongoingMaxMs ?? DEFAULTS.ongoingMaxMs,
    endedGraceMs: opts.endedGraceMs ?? DEFAULTS.endedGraceMs,
    maxHops: opts.maxHops ?? DEFAULTS.maxHops,
    unknownTopology: opts.unknownTopology ?? DEFAULTS.unknownTopology,
    maxExamples: opts.maxExamples ?? 400,
  };
}
