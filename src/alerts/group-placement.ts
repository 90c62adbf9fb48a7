/**
 * Which group an arriving alert episode joins: a re-fire stays in its group while that is active; a
 * fresh episode joins the strong active group it scores highest with at or above the threshold
 * (online single-linkage clustering with a time gate, Lin et al., KDD 2016), else goes back to the
 * group it opened, else opens one. A recurrent (chronic) episode joins nothing new — low information,
 * it goes back to its own item — unless a storm adopts it as it starts.
 */
import {
  type AlertGroupState,
  type SignedAlert,
  clearMembers,
  episodeKey,
  parseEpisode,
  recomputeTimes,
} from './alert-group.js';
import type { AlertRegistry } from './alert-registry.js';
import type { GroupLifecycle } from './group-lifecycle.js';
import type { GroupProximity } from './group-proximity.js';
import type { GroupScorer } from './group-score.js';

/** The placement knobs, ms (see `DEFAULTS` of correlation-score.ts). */
export interface PlacementOptions {
  /** How recently a lone recurrent alert's episode may have begun to be adopted by a new strong group. */
  adoptMs: number;
  /** How long a lone alert's own group stays the home of its later episodes that correlate with nothing else. */
  reopenLoneMs: number;
}

/** Places arriving episodes in groups. Deterministic: the same episodes in the same order give the same groups. */
export class GroupPlacement {
  constructor(
    private readonly groups: GroupLifecycle,
    private readonly registry: AlertRegistry,
    private readonly scorer: GroupScorer,
    private readonly proximity: GroupProximity,
    private readonly o: PlacementOptions,
  ) {}

  /** Puts `a` (already recorded in the registry as the alert's latest episode) in its group, and returns that group. */
  place(a: SignedAlert): AlertGroupState {
    const target = this.target(a);
    if (target.members.size === 0) this.registry.noteOpened(a.fingerprint, target);
    this.groups.join(target, a);
    this.registry.place(a.fingerprint, target);
    this.groups.activate(target);
    if (!a.recurrent) this.adoptCoFiring(target, a);
    return target;
  }

  /** The group `a` goes to: its home while that was active at its start, else the best, its own, or a new one. */
  private target(a: SignedAlert): AlertGroupState {
    const t = a.startsAt;
    const known = this.registry.homeOf(a.fingerprint);
    const stays =
      known !== undefined &&
      this.groups.exists(known) &&
      this.groups.isActiveAt(known, t) &&
      !(a.recurrent && this.groups.endedBy(known, t));
    if (stays) return known;
    return (a.recurrent ? null : this.best(a)) ?? this.reopenLone(a) ?? this.groups.open();
  }

  /**
   * The strong group, active at `a`'s start, that scores highest with `a` at or above the threshold,
   * or null. Of groups scoring the same, the one whose alerts related to `a` started last before it.
   */
  private best(a: SignedAlert): AlertGroupState | null {
    let best: AlertGroupState | null = null;
    let bestScore = -Infinity;
    for (const g of this.groups.candidates()) {
      // Weak groups (only recurrent alerts) attract nothing: a chronic flapper must not seed a fault's storm.
      if (this.isWeak(g) || !this.groups.isActiveAt(g, a.startsAt)) continue;
      const s = this.scorer.score(a, g);
      if (s < this.scorer.weights.threshold || s < bestScore) continue;
      if (s > bestScore || this.latestRelatedStart(a, g) > this.latestRelatedStart(a, best!))
        [best, bestScore] = [g, s];
    }
    return best;
  }

  /**
   * The latest start, strictly before `a`'s, of an episode in `g` on an entity `a` relates to it by
   * (−∞ if none). A failure climbs the call graph within seconds a hop, so of two ongoing
   * incidents that reach `a` alike, the one spreading to it now is the one whose related alerts just
   * started; one starting in the same instant as `a` shows no spreading either way.
   */
  private latestRelatedStart(a: SignedAlert, g: AlertGroupState): number {
    if (a.entity === null) return -Infinity;
    let latest = -Infinity;
    for (const e of g.episodes) {
      const { fingerprint, startsAt } = parseEpisode(e);
      if (startsAt >= a.startsAt || startsAt <= latest) continue;
      const entity = this.registry.get(fingerprint)?.entity ?? null;
      if (entity !== null && this.proximity.links(a.entity, entity, g.roots)) latest = startsAt;
    }
    return latest;
  }

  /**
   * The group that holds only earlier episodes of this same alert, if it was active within
   * `reopenLoneMs`: a chronic alert that comes back alone is one item with many episodes, not a new
   * item each time (the "repeating" alerts of Zhao et al., ICSE-SEIP 2020). Reactivated, or null.
   */
  private reopenLone(a: SignedAlert): AlertGroupState | null {
    const own = (g: AlertGroupState | undefined): g is AlertGroupState =>
      g !== undefined &&
      this.groups.exists(g) &&
      g.mergedInto === null &&
      g.members.size === 1 &&
      g.members.has(a.fingerprint) &&
      a.startsAt - g.lastActivity <= this.o.reopenLoneMs;
    const found = [this.registry.homeOf(a.fingerprint), this.registry.groupOpenedBy(a.fingerprint)].find(own) ?? null;
    if (found) this.groups.activate(found);
    return found;
  }

  /** Weak: a lone alert whose latest episode is recurrent. */
  private isWeak(g: AlertGroupState): boolean {
    return g.members.size === 1 && this.registry.get(g.fingerprints[0])?.recurrent === true;
  }

  /**
   * Lone recurrent alerts whose latest episode began just before `a` (within `adoptMs`, the same
   * notification batch) and that correlate with `target` move that episode into it: the flapper was
   * heard first, but it fires with the new problem. An emptied weak group disappears.
   */
  private adoptCoFiring(target: AlertGroupState, a: SignedAlert): void {
    // A watch item is no storm: it adopts nothing.
    if (target.actionableSince === null) return;
    for (const w of this.groups.candidates()) {
      if (w === target || !this.isWeak(w)) continue;
      const x = this.registry.get(w.fingerprints[0])!;
      if (
        this.registry.homeOf(x.fingerprint) !== w ||
        a.startsAt - x.startsAt > this.o.adoptMs ||
        this.scorer.score(x, target) < this.scorer.weights.threshold
      )
        continue;
      w.episodes.delete(episodeKey(x.fingerprint, x.startsAt));
      recomputeTimes(w);
      this.groups.join(target, x);
      this.registry.place(x.fingerprint, target);
      if (w.episodes.size === 0) {
        clearMembers(w);
        w.mergedInto = target.id;
      }
    }
    this.groups.dropMerged();
  }
}
