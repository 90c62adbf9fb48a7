/**
 * Human corrections of the grouping: a merge moves one group's alerts into another, a split moves
 * some alerts to a new group. Each is applied to the groups, kept as a plain record (labelled alert
 * pairs, see learn-from-corrections.ts), and the score's weights are relearned from all of them.
 */
import { InputError } from '../errors.js';
import { type AlertGroupState, clearMembers, parseEpisode, recomputeTimes } from './alert-group.js';
import type { AlertRegistry } from './alert-registry.js';
import type { CorrelationWeights } from './correlation-score.js';
import type { GroupLifecycle } from './group-lifecycle.js';
import type { GroupScorer } from './group-score.js';
import { type Correction, type PairExample, learnFromCorrections } from './learn-from-corrections.js';

/** What corrections are learned from: the weights before any correction, and the cap on labelled pairs kept per correction. */
export interface CorrectionOptions {
  base: CorrelationWeights;
  maxExamples: number;
}

/** Applies merges and splits, and keeps the scorer's weights learned from every correction so far. */
export class GroupCorrections {
  /** Every correction so far, oldest first (earlier ones given at construction included). */
  readonly corrections: Correction[] = [];

  constructor(
    private readonly groups: GroupLifecycle,
    private readonly registry: AlertRegistry,
    private readonly scorer: GroupScorer,
    private readonly o: CorrectionOptions,
    earlier: readonly Correction[] = [],
  ) {
    this.corrections.push(...earlier);
    this.scorer.useWeights(learnFromCorrections(this.corrections, this.o.base));
  }

  /** Human merge: `fromId`'s alerts and episodes move into `intoId`, which becomes an incident; returns the kept correction. */
  merge(intoId: string, fromId: string, at: number): Correction {
    const into = this.groups.get(intoId, 'merge › into');
    const from = this.groups.get(fromId, 'merge › from');
    if (into === from) throw new InputError('merge', `cannot merge incident ${intoId} into itself`);
    const examples = this.examples(from.fingerprints, into.fingerprints, true);
    const fingerprints = [...from.fingerprints];
    for (const e of from.episodes) into.episodes.add(e);
    for (const fp of fingerprints) this.attach(into, fp, from);
    recomputeTimes(into);
    into.endedAt = Math.max(into.endedAt, from.endedAt);
    // Its firing state went with its alerts (attach), so only its episodes and members are left to clear.
    from.episodes.clear();
    clearMembers(from);
    from.mergedInto = into.id;
    this.groups.dropMerged();
    if (into.actionableSince === null) this.groups.promote(into, at);
    this.groups.activate(into);
    return this.record({ kind: 'merge', at, incidents: [into.id, from.id], fingerprints, examples });
  }

  /**
   * Human split: `fingerprints` (with their episodes) leave `groupId` for a new group; both become
   * incidents. Returns the new group and the kept correction.
   */
  split(
    groupId: string,
    fingerprints: readonly string[],
    at: number,
  ): { group: AlertGroupState; correction: Correction } {
    const src = this.groups.get(groupId, 'split › incident');
    const moving = new Set(fingerprints);
    const staying = splitSides(src, moving);
    const examples = [...this.examples([...moving], staying, false), ...this.examples([...moving], [...moving], true)];
    const fresh = this.groups.open();
    const episodes = [...src.episodes];
    const moves = (e: string) => moving.has(parseEpisode(e).fingerprint);
    src.episodes = new Set(episodes.filter((e) => !moves(e)));
    for (const e of episodes) if (moves(e)) fresh.episodes.add(e);
    clearMembers(src);
    for (const fp of staying) this.attach(src, fp, src);
    for (const fp of moving) this.attach(fresh, fp, src);
    for (const g of [src, fresh]) this.settleSplit(g, at);
    const correction = this.record({
      kind: 'split',
      at,
      incidents: [src.id, fresh.id],
      fingerprints: [...moving],
      examples,
    });
    return { group: fresh, correction };
  }

  /** One side of a split after its alerts moved: its times, its end, and an incident whatever its size. */
  private settleSplit(g: AlertGroupState, at: number): void {
    recomputeTimes(g);
    if (g.firing.size === 0) g.endedAt = Math.max(g.endedAt, Math.min(at, this.groups.now));
    // A human said both are problems of their own: both are incidents, whatever their size.
    if (g.actionableSince === null) this.groups.promote(g, at);
  }

  /**
   * Makes a known alert a member of `g` (its episodes are moved by the caller); when its latest
   * episode lived in `from`, `g` becomes its home and takes its firing state.
   */
  private attach(g: AlertGroupState, fp: string, from: AlertGroupState): void {
    this.groups.admit(g, this.registry.get(fp)!);
    if (this.registry.homeOf(fp) === from) this.registry.place(fp, g);
  }

  /** Labelled pairs between two alert lists, a deterministic even sample when there are too many. */
  private examples(as: readonly string[], bs: readonly string[], together: boolean): PairExample[] {
    const pairs: Array<[string, string]> = [];
    for (const a of as) for (const b of bs) if (a !== b) pairs.push([a, b]);
    const stride = Math.max(1, Math.ceil(pairs.length / this.o.maxExamples));
    return pairs
      .filter((_, i) => i % stride === 0)
      .map(([fpA, fpB]): PairExample => {
        const [a, b] = [this.registry.get(fpA)!, this.registry.get(fpB)!];
        return { names: [a.name, b.name], features: this.scorer.pairFeatures(a, b), together };
      });
  }

  private record(c: Correction): Correction {
    this.corrections.push(c);
    this.scorer.useWeights(learnFromCorrections(this.corrections, this.o.base));
    return c;
  }
}

/** The alerts that stay in `src` when `moving` leave; throws InputError unless both sides keep alerts. */
function splitSides(src: AlertGroupState, moving: ReadonlySet<string>): string[] {
  for (const fp of moving)
    if (!src.members.has(fp)) throw new InputError(`split › ${fp}`, `alert is not in incident ${src.id}`);
  const staying = src.fingerprints.filter((fp) => !moving.has(fp));
  if (moving.size === 0 || staying.length === 0)
    throw new InputError('split', 'a split must leave alerts on both sides');
  return staying;
}
