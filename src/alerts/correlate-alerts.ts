/**
 * Streaming alert-to-incident correlation: each alert joins the active incident it scores highest
 * with (time × knowledge-graph distance × text similarity, see correlation-score.ts) when that
 * score reaches the threshold, else opens a new incident — online single-linkage clustering with a
 * time gate, as in event-correlation systems (Lin et al., KDD 2016; Chen et al., "Identifying
 * linked incidents in large-scale online service systems", FSE 2020). Humans can merge and split;
 * their corrections retune the weights (learn-from-corrections.ts).
 */
import { InputError } from '../errors.js';
import { type AlertSignature, alertSignature, signatureSimilarity } from './alert-similarity.js';
import { type ActionableOptions, DEFAULTS as ACTIONABLE, isActionable, isSevere } from './actionable.js';
import type { TopologyEdge } from './causal-distance.js';
import {
  type CorrelationWeights,
  type PairFeatures,
  DEFAULTS,
  pairKey,
  pairScore,
  timeSimilarity,
} from './correlation-score.js';
import { IncidentProximity } from './incident-proximity.js';
import {
  type IncidentState,
  type CorrelatedAlert,
  type Incident,
  addAlert,
  addMember,
  clearMembers,
  episodeKey,
  newIncident,
  parseEpisode,
  recomputeTimes,
  snapshot,
} from './incident-state.js';
import { type Correction, type PairExample, learnFromCorrections } from './learn-from-corrections.js';

export type { CorrelatedAlert, Incident };

/** Options of the correlator; everything defaults to `DEFAULTS` of correlation-score.ts. */
export interface CorrelatorOptions {
  /** Knowledge-graph relationships between entities (CALLS, RUNS_ON, SELECTS, MANAGES). */
  topology?: readonly TopologyEdge[];
  windowMs?: number;
  /** Half-life of time proximity, ms. */
  halfLifeMs?: number;
  /** How recently a lone recurrent alert's episode may have begun to be adopted by a new strong incident, ms. */
  adoptMs?: number;
  /** How long an incident with an alert still firing stays ongoing after its latest start, ms. */
  ongoingMaxMs?: number;
  /** How long an incident whose alerts have all resolved still takes new alerts, ms. */
  endedGraceMs?: number;
  /** How long a lone alert's own incident stays the home of its later episodes that correlate with nothing else, ms. */
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

/** An online alert correlator. Deterministic: the same alerts in the same order give the same incidents. */
export class AlertCorrelator {
  readonly corrections: Correction[] = [];
  private readonly base: CorrelationWeights;
  private weights: CorrelationWeights;
  private readonly o: Required<Omit<CorrelatorOptions, 'topology' | 'weights' | 'corrections' | 'actionable'>>;
  private readonly actionableOpts: Partial<ActionableOptions>;
  private readonly proximity: IncidentProximity;
  private readonly all = new Map<string, IncidentState>();
  private active: IncidentState[] = [];
  private readonly alerts = new Map<string, CorrelatedAlert & { sig: AlertSignature }>();
  private readonly home = new Map<string, IncidentState>();
  /** Alerts whose latest episode is firing. */
  private readonly firing = new Set<string>();
  /** The incident each alert opened (a candidate for `reopenLone` while it holds only that alert). */
  private readonly lone = new Map<string, IncidentState>();
  /** Watch items promoted by time alone, not yet taken (see `takePromoted`). */
  private readonly promoted: string[] = [];
  private seq = 0;
  private now = -Infinity;

  constructor(opts: CorrelatorOptions = {}) {
    this.o = {
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
    this.actionableOpts = opts.actionable ?? {};
    this.base = {
      ...DEFAULTS.weights,
      ...opts.weights,
      pairBias: { ...DEFAULTS.weights.pairBias, ...opts.weights?.pairBias },
    };
    this.proximity = new IncidentProximity(opts.topology, this.o.maxHops, this.o.unknownTopology);
    this.corrections.push(...(opts.corrections ?? []));
    this.weights = learnFromCorrections(this.corrections, this.base);
  }

  /** Replaces the topology distances are measured on (the system changed); incidents so far stay as they are. */
  setTopology(topology: readonly TopologyEdge[]): void {
    this.proximity.setTopology(topology);
  }

  /** The weights in use (the base adjusted by the corrections so far). */
  currentWeights(): CorrelationWeights {
    return { ...this.weights, pairBias: { ...this.weights.pairBias } };
  }

  /**
   * Correlates one alert episode (a first firing, or a re-fire) at `alert.startsAt` and returns its
   * incident's id. A re-fire stays in its incident while that was active at its start; a recurrent
   * (chronic) episode joins nothing new — low information, it goes back to its own item — unless a
   * storm adopts it as it starts (`adoptCoFiring`).
   */
  add(alert: CorrelatedAlert): string {
    // The clock never runs ahead of when the alert was heard (a clock-skewed source cannot age everything else).
    this.advance(Math.min(alert.startsAt, alert.heardAt ?? alert.startsAt));
    const a = { ...alert, sig: alertSignature(alert.name, alert.labels) };
    const t = a.startsAt;
    this.firing.add(a.fingerprint);
    this.alerts.set(a.fingerprint, a);
    const known = this.home.get(a.fingerprint);
    const stays =
      known !== undefined &&
      this.all.has(known.id) &&
      this.isActiveAt(known, t) &&
      !(a.recurrent && this.endedBy(known, t));
    const target = stays ? known : ((a.recurrent ? null : this.best(a)) ?? this.reopenLone(a) ?? this.open());
    if (target.members.size === 0) this.lone.set(a.fingerprint, target);
    this.join(target, a);
    this.place(a.fingerprint, target);
    if (!this.active.includes(target)) this.active.push(target);
    if (!a.recurrent) this.adoptCoFiring(target, a);
    return target.id;
  }

  /**
   * Moves the clock to `t` (alert time): drops from the candidates what even a late episode could not
   * join, and turns watch items whose alert has fired without a break for `sustainedMs` into incidents.
   */
  tick(t: number): void {
    this.advance(t);
  }

  /**
   * Ids of watch items that became incidents by time alone and were not yet acknowledged (still
   * merged-away or forgotten ones are left out). Call `ackPromoted` once they are posted, so a failed post is retried.
   */
  pendingPromoted(): string[] {
    return this.promoted.filter((id) => this.all.get(id)?.mergedInto === null);
  }

  /** Marks promotions as posted. */
  ackPromoted(ids: readonly string[]): void {
    const done = new Set(ids);
    for (let i = this.promoted.length - 1; i >= 0; i--)
      if (done.has(this.promoted[i]) || this.all.get(this.promoted[i])?.mergedInto !== null) this.promoted.splice(i, 1);
  }

  private advance(t: number): void {
    if (t <= this.now) return;
    this.now = t;
    // Promotion by time first: a watch item still firing is promoted however long ago it was last joined.
    const sustained =
      (this.actionableOpts.sustainedMs ?? ACTIONABLE.sustainedMs) +
      (this.actionableOpts.resolutionLagMs ?? ACTIONABLE.resolutionLagMs);
    for (const inc of this.active) {
      if (inc.actionableSince !== null || inc.firing.size === 0 || inc.mergedInto !== null || !this.all.has(inc.id))
        continue;
      const since = Math.min(...[...inc.firing].map((fp) => this.alerts.get(fp)?.startsAt ?? Infinity));
      if (t - since < sustained) continue;
      this.promote(inc, t);
      this.promoted.push(inc.id);
    }
    // Keep as candidates what a late episode could still join, and watch items that may yet be promoted.
    this.active = this.active.filter(
      (i) =>
        this.all.has(i.id) &&
        i.mergedInto === null &&
        (this.isActiveAt(i, t) ||
          i.lastActivity >= t - 2 * this.o.windowMs ||
          (i.actionableSince === null && i.firing.size > 0)),
    );
  }

  /**
   * Lone recurrent alerts whose latest episode began just before `a` (within `adoptMs`, the same
   * notification batch) and that correlate with `target` move that episode into it: the flapper was
   * heard first, but it fires with the new problem. An emptied weak incident disappears.
   */
  private adoptCoFiring(target: IncidentState, a: CorrelatedAlert & { sig: AlertSignature }): void {
    // A watch item is no storm: it adopts nothing.
    if (target.actionableSince === null) return;
    for (const w of this.active) {
      if (w === target || !this.isWeak(w)) continue;
      const x = this.alerts.get(w.fingerprints[0])!;
      if (
        this.home.get(x.fingerprint) !== w ||
        a.startsAt - x.startsAt > this.o.adoptMs ||
        this.scoreAgainst(x, target) < this.weights.threshold
      )
        continue;
      w.episodes.delete(episodeKey(x.fingerprint, x.startsAt));
      recomputeTimes(w);
      this.join(target, x);
      this.place(x.fingerprint, target);
      if (w.episodes.size === 0) {
        clearMembers(w);
        w.mergedInto = target.id;
      }
    }
    this.active = this.active.filter((i) => i.mergedInto === null);
  }

  /**
   * The incident that holds only earlier episodes of this same alert, if it was active within
   * `reopenLoneMs`: a chronic alert that comes back alone is one item with many episodes, not a new
   * item each time (the "repeating" alerts of Zhao et al., ICSE-SEIP 2020). Reactivated, or null.
   */
  private reopenLone(a: CorrelatedAlert): IncidentState | null {
    const own = (i: IncidentState | undefined): i is IncidentState =>
      i !== undefined &&
      this.all.has(i.id) &&
      i.mergedInto === null &&
      i.members.size === 1 &&
      i.members.has(a.fingerprint) &&
      a.startsAt - i.lastActivity <= this.o.reopenLoneMs;
    const found = [this.home.get(a.fingerprint), this.lone.get(a.fingerprint)].find(own) ?? null;
    if (found && !this.active.includes(found)) this.active.push(found);
    return found;
  }

  /** Weak: a lone alert whose latest episode is recurrent. */
  private isWeak(inc: IncidentState): boolean {
    return inc.members.size === 1 && this.alerts.get(inc.fingerprints[0])?.recurrent === true;
  }

  /** The strong incident, active at `a`'s start, that scores highest with `a` at or above the threshold, or null. */
  private best(a: CorrelatedAlert & { sig: AlertSignature }): IncidentState | null {
    let best: IncidentState | null = null;
    let bestScore = -Infinity;
    for (const inc of this.active) {
      // Weak incidents (only recurrent alerts) attract nothing: a chronic flapper must not seed a fault's storm.
      if (this.isWeak(inc) || !this.isActiveAt(inc, a.startsAt)) continue;
      const s = this.scoreAgainst(a, inc);
      if (s >= this.weights.threshold && s > bestScore) [best, bestScore] = [inc, s];
    }
    return best;
  }

  /**
   * Notes that an alert's latest episode resolved at `at`: once none of its incident's alerts
   * fires, the incident is no longer ongoing and only the time window keeps it open. Unknown alerts are ignored.
   */
  resolve(fingerprint: string, at: number): void {
    this.advance(at);
    this.firing.delete(fingerprint);
    const inc = this.home.get(fingerprint);
    if (!inc || !inc.firing.delete(fingerprint) || inc.firing.size > 0) return;
    inc.endedAt = Math.max(inc.endedAt, at);
  }

  /** The incident an alert was last placed in, or undefined. */
  incidentOf(fingerprint: string): string | undefined {
    return this.home.get(fingerprint)?.id;
  }

  /** One incident as a plain record, or undefined (unknown, merged away or emptied). */
  incident(id: string): Incident | undefined {
    const inc = this.all.get(id);
    return inc && inc.mergedInto === null && inc.fingerprints.length > 0 ? snapshot(inc) : undefined;
  }

  /**
   * Forgets incidents with nothing since `before` (no alert firing in them, none started since) and
   * the alerts that live only there: a long-running process keeps the state of what is going on, not
   * all history. Returns the forgotten alerts' fingerprints; a later notification of one is a new alert.
   */
  forget(before: number): { incidents: string[]; fingerprints: string[] } {
    const incidents: string[] = [];
    for (const [id, inc] of this.all) {
      if (inc.mergedInto === null && (inc.lastActivity >= before || inc.firing.size > 0 || inc.endedAt >= before))
        continue;
      this.all.delete(id);
      incidents.push(id);
    }
    const kept = new Set<string>();
    for (const inc of this.all.values()) for (const fp of inc.members) kept.add(fp);
    const fingerprints: string[] = [];
    for (const fp of [...this.alerts.keys()]) {
      const home = this.home.get(fp);
      if (home && !this.all.has(home.id)) this.home.delete(fp);
      const lone = this.lone.get(fp);
      if (lone && !this.all.has(lone.id)) this.lone.delete(fp);
      if (kept.has(fp) || this.firing.has(fp)) continue;
      this.home.delete(fp);
      this.lone.delete(fp);
      this.alerts.delete(fp);
      fingerprints.push(fp);
    }
    this.active = this.active.filter((i) => this.all.has(i.id));
    return { incidents, fingerprints };
  }

  /**
   * Breaks of the correlator's own bookkeeping, as messages (none when consistent): every alert's
   * home lists it and holds its latest episode, firing state sits only in its home, candidates and promotions point at live
   * incidents. For property tests and diagnostics; O(state).
   */
  selfCheck(): string[] {
    const errs: string[] = [];
    for (const [fp, h] of this.home) {
      if (!this.all.has(h.id) || h.mergedInto !== null) errs.push(`home ${h.id} of ${fp} is gone or merged`);
      else if (!h.members.has(fp)) errs.push(`home ${h.id} of ${fp} does not list it`);
      else if (!h.episodes.has(episodeKey(fp, this.alerts.get(fp)?.startsAt ?? NaN)))
        errs.push(`home ${h.id} of ${fp} does not hold its latest episode`);
    }
    for (const inc of this.all.values()) {
      for (const fp of inc.firing)
        if (this.home.get(fp) !== inc || !this.firing.has(fp))
          errs.push(`${inc.id} holds firing ${fp} it is not home to`);
      for (const e of inc.episodes)
        if (!inc.members.has(parseEpisode(e).fingerprint)) errs.push(`${inc.id} has episode ${e} of a non-member`);
      for (const fp of inc.members) if (!this.alerts.has(fp)) errs.push(`${inc.id} lists unknown alert ${fp}`);
      if (inc.mergedInto !== null && inc.members.size > 0) errs.push(`${inc.id} merged away but has members`);
    }
    for (const fp of this.firing)
      if (!this.home.get(fp)?.firing.has(fp)) errs.push(`firing ${fp} is not firing in its home`);
    for (const inc of this.active)
      if (!this.all.has(inc.id) || inc.mergedInto !== null) errs.push(`candidate ${inc.id} is gone or merged`);
    for (const [fp, inc] of this.lone) if (!this.all.has(inc.id)) errs.push(`lone item of ${fp} (${inc.id}) is gone`);
    return errs;
  }

  /** Incidents not merged away, oldest first, as plain records. */
  incidents(): Incident[] {
    return [...this.all.values()].filter((i) => i.mergedInto === null && i.fingerprints.length > 0).map(snapshot);
  }

  /** Human merge: `fromId`'s alerts move into `intoId`; returns the kept correction (also used to learn). */
  merge(intoId: string, fromId: string, at: number): Correction {
    const into = this.get(intoId, 'merge › into');
    const from = this.get(fromId, 'merge › from');
    if (into === from) throw new InputError('merge', `cannot merge incident ${intoId} into itself`);
    const examples = this.examples(from.fingerprints, into.fingerprints, true);
    const correction: Correction = {
      kind: 'merge',
      at,
      incidents: [into.id, from.id],
      fingerprints: [...from.fingerprints],
      examples,
    };
    for (const e of from.episodes) into.episodes.add(e);
    for (const fp of from.fingerprints) this.attach(into, fp, from);
    recomputeTimes(into);
    into.endedAt = Math.max(into.endedAt, from.endedAt);
    from.episodes.clear();
    from.firing.clear();
    clearMembers(from);
    from.mergedInto = into.id;
    this.active = this.active.filter((i) => i !== from);
    if (into.actionableSince === null) this.promote(into, at);
    if (!this.active.includes(into)) this.active.push(into);
    return this.record(correction);
  }

  /** Human split: `fingerprints` leave `incidentId` for a new incident; returns it and the correction. */
  split(
    incidentId: string,
    fingerprints: readonly string[],
    at: number,
  ): { incident: Incident; correction: Correction } {
    const src = this.get(incidentId, 'split › incident');
    const moving = new Set(fingerprints);
    for (const fp of moving)
      if (!src.members.has(fp)) throw new InputError(`split › ${fp}`, `alert is not in incident ${incidentId}`);
    const staying = src.fingerprints.filter((fp) => !moving.has(fp));
    if (moving.size === 0 || staying.length === 0)
      throw new InputError('split', 'a split must leave alerts on both sides');
    const examples = [...this.examples([...moving], staying, false), ...this.examples([...moving], [...moving], true)];
    const fresh = this.open();
    const episodes = [...src.episodes];
    const moves = (e: string) => moving.has(parseEpisode(e).fingerprint);
    src.episodes = new Set(episodes.filter((e) => !moves(e)));
    for (const e of episodes) if (moves(e)) fresh.episodes.add(e);
    clearMembers(src);
    for (const fp of staying) this.attach(src, fp, src);
    for (const fp of moving) this.attach(fresh, fp, src);
    for (const inc of [src, fresh]) {
      recomputeTimes(inc);
      if (inc.firing.size === 0) inc.endedAt = Math.max(inc.endedAt, Math.min(at, this.now));
      // A human said both are problems of their own: both are incidents, whatever their size.
      if (inc.actionableSince === null) this.promote(inc, at);
    }
    const correction = this.record({
      kind: 'split',
      at,
      incidents: [src.id, fresh.id],
      fingerprints: [...moving],
      examples,
    });
    return { incident: snapshot(fresh), correction };
  }

  /** The similarities of two known alerts, as a correction example records them. */
  pairFeatures(fpA: string, fpB: string): PairFeatures {
    const a = this.alerts.get(fpA);
    const b = this.alerts.get(fpB);
    if (!a || !b) throw new InputError('pairFeatures', `unknown alert ${a ? fpB : fpA}`);
    return {
      time: timeSimilarity(a.startsAt - b.startsAt, this.o.windowMs, this.o.halfLifeMs),
      topology: this.proximity.similarity(
        a.entity,
        new Set(b.entity === null ? [] : [b.entity]),
        new Set(b.entity === null ? [] : [b.entity]),
      ),
      text: signatureSimilarity(a.sig, b.sig),
    };
  }

  private scoreAgainst(a: CorrelatedAlert & { sig: AlertSignature }, inc: IncidentState): number {
    // An ongoing incident (an alert of it still firing) is happening now, however long ago its alerts started.
    const dt =
      a.startsAt < inc.firstStart
        ? inc.firstStart - a.startsAt
        : this.ongoingAt(inc, a.startsAt)
          ? 0
          : Math.max(0, a.startsAt - inc.lastActivity);
    if (dt > this.o.windowMs) return -Infinity;
    // A recurrent (low-information) alert joins only what is happening now: within one half-life, whatever the topology.
    if (a.recurrent && (dt > this.o.halfLifeMs || this.endedBy(inc, a.startsAt))) return -Infinity;
    let text = 0;
    for (const s of inc.signatures) text = Math.max(text, signatureSimilarity(a.sig, s));
    const f = {
      time: timeSimilarity(dt, this.o.windowMs, this.o.halfLifeMs),
      topology: this.proximity.similarity(a.entity, inc.entities, inc.roots),
      text,
    };
    return pairScore(f, this.weights) + this.biasAgainst(a.name, inc);
  }

  /** Learned bias: the strongest "together" bias with any name in the incident, else the strongest "apart". */
  private biasAgainst(name: string, inc: IncidentState): number {
    const bias = this.weights.pairBias;
    let pos = 0;
    let neg = 0;
    for (const n of inc.names.keys()) {
      const b = bias[pairKey(name, n)];
      if (b === undefined) continue;
      if (b > pos) pos = b;
      if (b < neg) neg = b;
    }
    return pos > 0 ? pos : neg;
  }

  /** Labelled pairs between two alert lists, a deterministic even sample when there are too many. */
  private examples(as: readonly string[], bs: readonly string[], together: boolean): PairExample[] {
    const pairs: Array<[string, string]> = [];
    for (const a of as) for (const b of bs) if (a !== b) pairs.push([a, b]);
    const stride = Math.max(1, Math.ceil(pairs.length / this.o.maxExamples));
    return pairs
      .filter((_, i) => i % stride === 0)
      .map(([a, b]) => ({
        names: [this.alerts.get(a)!.name, this.alerts.get(b)!.name] as [string, string],
        features: this.pairFeatures(a, b),
        together,
      }));
  }

  private record(c: Correction): Correction {
    this.corrections.push(c);
    this.weights = learnFromCorrections(this.corrections, this.base);
    return c;
  }

  /** Adds an alert and keeps the incident's roots: entities that no other member entity sits below. */
  private join(inc: IncidentState, a: CorrelatedAlert & { sig: AlertSignature }): void {
    const x = a.entity;
    const isNew = x !== null && !inc.entities.has(x);
    if (!inc.members.has(a.fingerprint) && isSevere(a.labels, this.actionableOpts.severe)) inc.severe++;
    addMember(inc, a);
    if (inc.actionableSince === null && isActionable(inc.members.size, inc.severe, this.actionableOpts))
      this.promote(inc, a.startsAt);
    if (isNew) this.proximity.addRoot(inc.roots, x);
  }

  /** Makes a watch item an incident at `t`; its problem began with the earliest episode still firing or started within the window. */
  private promote(inc: IncidentState, t: number): void {
    inc.actionableSince = t;
    let start = t;
    for (const e of inc.episodes) {
      const { fingerprint: fp, startsAt: at } = parseEpisode(e);
      const stillFiring = this.firing.has(fp) && this.alerts.get(fp)?.startsAt === at;
      if (at >= t - this.o.windowMs || stillFiring) start = Math.min(start, at);
    }
    inc.problemStart = start;
  }

  /**
   * Makes a known alert a member of `inc` (its episodes are moved by the caller); when its latest
   * episode lived in `from`, `inc` becomes its home and takes its firing state.
   */
  private attach(inc: IncidentState, fp: string, from: IncidentState): void {
    const a = this.alerts.get(fp)!;
    if (!inc.members.has(fp) && isSevere(a.labels, this.actionableOpts.severe)) inc.severe++;
    const isNew = a.entity !== null && !inc.entities.has(a.entity);
    addAlert(inc, a);
    if (isNew) this.proximity.addRoot(inc.roots, a.entity!);
    if (this.home.get(fp) === from) this.place(fp, inc);
  }

  /** Makes `inc` the alert's home; its firing state moves with it. */
  private place(fp: string, inc: IncidentState): void {
    const old = this.home.get(fp);
    if (old && old !== inc) old.firing.delete(fp);
    this.home.set(fp, inc);
    if (this.firing.has(fp)) inc.firing.add(fp);
  }

  /**
   * Active at `t` (an alert starting then may join): ongoing, or its latest alert started within the
   * window — unless all its alerts had resolved more than `endedGraceMs` before (what starts after a
   * recovery is a new problem).
   */
  private isActiveAt(inc: IncidentState, t: number): boolean {
    if (inc.mergedInto !== null) return false;
    if (this.ongoingAt(inc, t)) return true;
    return inc.lastActivity >= t - this.o.windowMs && !(this.endedBy(inc, t) && inc.endedAt < t - this.o.endedGraceMs);
  }

  /** Ended by `t`: every alert of it had resolved at `t`, and none started since. */
  private endedBy(inc: IncidentState, t: number): boolean {
    return inc.firing.size === 0 && inc.endedAt >= inc.lastActivity && inc.endedAt <= t;
  }

  /**
   * Ongoing at `t`: an alert of it was firing then (an episode heard of late, as a resolution, is
   * judged at its own start) and its latest alert started within `ongoingMaxMs` before.
   */
  private ongoingAt(inc: IncidentState, t: number): boolean {
    return (
      (inc.firing.size > 0 || inc.endedAt > t) &&
      Math.max(t, inc.lastActivity) - inc.lastActivity <= this.o.ongoingMaxMs &&
      inc.lastActivity > -Infinity
    );
  }

  private open(): IncidentState {
    const inc = newIncident(`inc-${++this.seq}`);
    this.all.set(inc.id, inc);
    this.active.push(inc);
    return inc;
  }

  private get(id: string, where: string): IncidentState {
    const inc = this.all.get(id);
    if (!inc || inc.mergedInto !== null) throw new InputError(where, `no open incident ${id}`);
    return inc;
  }
}
