/**
 * The lifecycle of alert groups: opened, joined, promoted from watch item to incident (actionable.ts),
 * ongoing while an alert fires, ended once all resolved, dropped from the candidates when even a late
 * episode could not join, and forgotten when quiet. Also the correlator's clock and its members'
 * indexes (severity count, topology roots). Which group an alert joins is group-placement.ts's call.
 */
import { InputError } from '../errors.js';
import { type ActionableOptions, DEFAULTS as ACTIONABLE, isActionable, isSevere } from './actionable.js';
import {
  type AlertGroup,
  type AlertGroupState,
  type SignedAlert,
  addAlert,
  addEpisode,
  newGroup,
  parseEpisode,
  toAlertGroup,
} from './alert-group.js';
import type { AlertRegistry } from './alert-registry.js';
import type { GroupProximity } from './group-proximity.js';

/** The time knobs of a group's life (see `DEFAULTS` of correlation-score.ts), and the incident-or-watch rule. */
export interface LifecycleOptions {
  windowMs: number;
  ongoingMaxMs: number;
  endedGraceMs: number;
  actionable: Partial<ActionableOptions>;
}

/** All groups, the candidates an arriving alert may join, and the clock. */
export class GroupLifecycle {
  private readonly all = new Map<string, AlertGroupState>();
  /** Groups a new episode may join, and watch items that may yet be promoted. */
  private active: AlertGroupState[] = [];
  /** Watch items promoted by time alone, not yet acknowledged. */
  private readonly promoted: string[] = [];
  private seq = 0;
  private clock = -Infinity;

  constructor(
    private readonly registry: AlertRegistry,
    private readonly proximity: GroupProximity,
    private readonly o: LifecycleOptions,
  ) {}

  /** The latest time the clock was moved to, ms. */
  get now(): number {
    return this.clock;
  }

  /** Opens an empty group, a candidate from now on. */
  open(): AlertGroupState {
    const g = newGroup(`inc-${++this.seq}`);
    this.all.set(g.id, g);
    this.active.push(g);
    return g;
  }

  /** A group not merged away; throws InputError (at `where`) otherwise. */
  get(id: string, where: string): AlertGroupState {
    const g = this.all.get(id);
    if (!g || g.mergedInto !== null) throw new InputError(where, `no open incident ${id}`);
    return g;
  }

  /** Whether the group is still kept (not forgotten). */
  exists(g: AlertGroupState): boolean {
    return this.all.has(g.id);
  }

  /** The candidates, oldest first. Live: do not hold on to it across changes. */
  candidates(): readonly AlertGroupState[] {
    return this.active;
  }

  /** Makes a group a candidate again (no-op when it is one). */
  activate(g: AlertGroupState): void {
    if (!this.active.includes(g)) this.active.push(g);
  }

  /** Drops merged-away groups from the candidates. */
  dropMerged(): void {
    this.active = this.active.filter((g) => g.mergedInto === null);
  }

  /**
   * Moves the clock to `t`: promotes watch items whose alert has fired without a break for
   * `sustainedMs`, and drops from the candidates what even a late episode could not join.
   */
  advance(t: number): void {
    if (t <= this.clock) return;
    this.clock = t;
    // Promotion by time first: a watch item still firing is promoted however long ago it was last joined.
    this.promoteSustained(t);
    // Keep as candidates what a late episode could still join, and watch items that may yet be promoted.
    this.active = this.active.filter(
      (g) =>
        this.all.has(g.id) &&
        g.mergedInto === null &&
        (this.isActiveAt(g, t) ||
          g.lastActivity >= t - 2 * this.o.windowMs ||
          (g.actionableSince === null && g.firing.size > 0)),
    );
  }

  private promoteSustained(t: number): void {
    const sustained =
      (this.o.actionable.sustainedMs ?? ACTIONABLE.sustainedMs) +
      (this.o.actionable.resolutionLagMs ?? ACTIONABLE.resolutionLagMs);
    for (const g of this.active) {
      if (g.actionableSince !== null || g.firing.size === 0 || g.mergedInto !== null || !this.all.has(g.id)) continue;
      const since = Math.min(...[...g.firing].map((fp) => this.registry.get(fp)?.startsAt ?? Infinity));
      if (t - since < sustained) continue;
      this.promote(g, t);
      this.promoted.push(g.id);
    }
  }

  /** Ids of watch items promoted by time alone and not yet acknowledged (merged-away or forgotten ones left out). */
  pendingPromoted(): string[] {
    return this.promoted.filter((id) => this.all.get(id)?.mergedInto === null);
  }

  /** Marks promotions as posted (and drops those of groups merged away or forgotten). */
  ackPromoted(ids: readonly string[]): void {
    const done = new Set(ids);
    for (let i = this.promoted.length - 1; i >= 0; i--)
      if (done.has(this.promoted[i]) || this.all.get(this.promoted[i])?.mergedInto !== null) this.promoted.splice(i, 1);
  }

  /** Notes that an alert's latest episode resolved at `at`: its home ends once none of its alerts fires. */
  resolve(fingerprint: string, at: number): void {
    this.advance(at);
    const ended = this.registry.resolve(fingerprint);
    if (ended) ended.endedAt = Math.max(ended.endedAt, at);
  }

  /** One group as a plain record, or undefined (unknown, merged away or emptied). */
  snapshot(id: string): AlertGroup | undefined {
    const g = this.all.get(id);
    return g && g.mergedInto === null && g.fingerprints.length > 0 ? toAlertGroup(g) : undefined;
  }

  /** Groups not merged away and not empty, oldest first, as plain records. */
  snapshots(): AlertGroup[] {
    return [...this.all.values()].filter((g) => g.mergedInto === null && g.fingerprints.length > 0).map(toAlertGroup);
  }

  /**
   * Forgets groups with nothing since `before` (no alert firing in them, none started or ended since)
   * or merged away, and the alerts that live only there. Returns both.
   */
  forget(before: number): { groups: string[]; fingerprints: string[] } {
    const groups: string[] = [];
    for (const [id, g] of this.all) {
      if (g.mergedInto === null && (g.lastActivity >= before || g.firing.size > 0 || g.endedAt >= before)) continue;
      this.all.delete(id);
      groups.push(id);
    }
    const kept = new Set<string>();
    for (const g of this.all.values()) for (const fp of g.members) kept.add(fp);
    const fingerprints = this.registry.forget((g) => this.all.has(g.id), kept);
    this.active = this.active.filter((g) => this.all.has(g.id));
    return { groups, fingerprints };
  }

  /** Adds an alert's episode to a group; the group becomes an incident once it is actionable. */
  join(g: AlertGroupState, a: SignedAlert): void {
    addEpisode(g, a.fingerprint, a.startsAt);
    this.admit(g, a);
    if (g.actionableSince === null && isActionable(g.members.size, g.severe, this.o.actionable))
      this.promote(g, a.startsAt);
  }

  /**
   * Makes an alert a member (once), counting its severity, and keeps the roots: entities no other
   * member entity sits below. Its episodes are the caller's.
   */
  admit(g: AlertGroupState, a: SignedAlert): void {
    const x = a.entity;
    const isNew = x !== null && !g.entities.has(x);
    if (!g.members.has(a.fingerprint) && isSevere(a.labels, this.o.actionable.severe)) g.severe++;
    addAlert(g, a);
    if (isNew) this.proximity.addRoot(g.roots, x);
  }

  /** Makes a watch item an incident at `t`; its problem began with the earliest episode still firing or started within the window. */
  promote(g: AlertGroupState, t: number): void {
    g.actionableSince = t;
    let start = t;
    for (const e of g.episodes) {
      const { fingerprint: fp, startsAt: at } = parseEpisode(e);
      if (at >= t - this.o.windowMs || this.registry.firesSince(fp, at)) start = Math.min(start, at);
    }
    g.problemStart = start;
  }

  /**
   * Active at `t` (an alert starting then may join): ongoing, or its latest alert started within the
   * window — unless all its alerts had resolved more than `endedGraceMs` before (what starts after a
   * recovery is a new problem).
   */
  isActiveAt(g: AlertGroupState, t: number): boolean {
    if (g.mergedInto !== null) return false;
    if (this.ongoingAt(g, t)) return true;
    return g.lastActivity >= t - this.o.windowMs && !(this.endedBy(g, t) && g.endedAt < t - this.o.endedGraceMs);
  }

  /** Ended by `t`: every alert of it had resolved at `t`, and none started since. */
  endedBy(g: AlertGroupState, t: number): boolean {
    return g.firing.size === 0 && g.endedAt >= g.lastActivity && g.endedAt <= t;
  }

  /**
   * Ongoing at `t`: an alert of it was firing then (an episode heard of late, as a resolution, is
   * judged at its own start) and its latest alert started within `ongoingMaxMs` before.
   */
  ongoingAt(g: AlertGroupState, t: number): boolean {
    return (
      (g.firing.size > 0 || g.endedAt > t) &&
      Math.max(t, g.lastActivity) - g.lastActivity <= this.o.ongoingMaxMs &&
      g.lastActivity > -Infinity
    );
  }

  /**
   * Breaks of the bookkeeping, as messages (none when consistent): the registry's (see
   * AlertRegistry.selfCheck), episodes only of members, no members once merged away, candidates
   * kept and not merged. For property tests and diagnostics; O(state).
   */
  selfCheck(): string[] {
    const errs = this.registry.selfCheck((g) => this.all.has(g.id));
    for (const g of this.all.values()) {
      errs.push(...this.registry.selfCheckGroup(g));
      for (const e of g.episodes)
        if (!g.members.has(parseEpisode(e).fingerprint)) errs.push(`${g.id} has episode ${e} of a non-member`);
      if (g.mergedInto !== null && g.members.size > 0) errs.push(`${g.id} merged away but has members`);
    }
    for (const g of this.active)
      if (!this.all.has(g.id) || g.mergedInto !== null) errs.push(`candidate ${g.id} is gone or merged`);
    return errs;
  }
}
