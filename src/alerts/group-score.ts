/**
 * How strongly an arriving alert episode belongs with a group: the score of correlation-score.ts
 * (time × knowledge-graph distance × text similarity, plus learned name-pair biases) applied to the
 * group's indexes, with the time gate a group's state imposes (ongoing, ended). Holds the weights in
 * use; group-corrections.ts replaces them as humans correct the grouping.
 */
import { signatureSimilarity } from './alert-similarity.js';
import type { AlertGroupState, SignedAlert } from './alert-group.js';
import { type CorrelationWeights, type PairFeatures, pairScore, timeSimilarity } from './correlation-score.js';
import type { GroupLifecycle } from './group-lifecycle.js';
import type { GroupProximity } from './group-proximity.js';

/** The time knobs of scoring, ms (see `DEFAULTS` of correlation-score.ts). */
export interface ScoreOptions {
  windowMs: number;
  halfLifeMs: number;
}

/** Scores alerts against groups and against each other, with the current weights. */
export class GroupScorer {
  private current: CorrelationWeights;
  private indexed?: { from: CorrelationWeights['pairBias']; byName: Map<string, Map<string, number>> };

  constructor(
    private readonly groups: GroupLifecycle,
    private readonly proximity: GroupProximity,
    private readonly o: ScoreOptions,
    weights: CorrelationWeights,
  ) {
    this.current = weights;
  }

  /** The weights in use. Live: copy before handing out. */
  get weights(): CorrelationWeights {
    return this.current;
  }

  /** Replaces the weights in use (learned from corrections). */
  useWeights(weights: CorrelationWeights): void {
    this.current = weights;
  }

  /** The score of `a` joining `g` (−∞ when the time gate shuts it out); it joins at or above the threshold. */
  score(a: SignedAlert, g: AlertGroupState): number {
    // An ongoing group (an alert of it still firing) is happening now, however long ago its alerts started.
    const dt =
      a.startsAt < g.firstStart
        ? g.firstStart - a.startsAt
        : this.groups.ongoingAt(g, a.startsAt)
          ? 0
          : Math.max(0, a.startsAt - g.lastActivity);
    if (dt > this.o.windowMs) return -Infinity;
    // A recurrent (low-information) alert joins only what is happening now: within one half-life, whatever the topology.
    if (a.recurrent && (dt > this.o.halfLifeMs || this.groups.endedBy(g, a.startsAt))) return -Infinity;
    let text = 0;
    for (const s of g.signatures) text = Math.max(text, signatureSimilarity(a.sig, s));
    const f = {
      time: timeSimilarity(dt, this.o.windowMs, this.o.halfLifeMs),
      topology: this.proximity.similarity(a.entity, g.entities, g.roots),
      text,
    };
    return pairScore(f, this.current) + this.bias(a.name, g);
  }

  /** The similarities of two alerts' latest episodes, as a correction example records them. */
  pairFeatures(a: SignedAlert, b: SignedAlert): PairFeatures {
    const near = new Set(b.entity === null ? [] : [b.entity]);
    return {
      time: timeSimilarity(a.startsAt - b.startsAt, this.o.windowMs, this.o.halfLifeMs),
      topology: this.proximity.similarity(a.entity, near, near),
      text: signatureSimilarity(a.sig, b.sig),
    };
  }

  /** Learned bias: the strongest "together" bias with any name in the group, else the strongest "apart". */
  private bias(name: string, g: AlertGroupState): number {
    const partners = this.partnersOf().get(name);
    if (!partners) return 0; // most names have no learned bias: no walk over the group's names
    let pos = 0;
    let neg = 0;
    const take = (b: number) => {
      if (b > pos) pos = b;
      if (b < neg) neg = b;
    };
    if (partners.size < g.names.size) {
      for (const [n, b] of partners) if (g.names.has(n)) take(b);
    } else
      for (const n of g.names.keys()) {
        const b = partners.get(n);
        if (b !== undefined) take(b);
      }
    return pos > 0 ? pos : neg;
  }

  /** The learned biases by name (both ways), rebuilt when the weights' biases are replaced. */
  private partnersOf(): Map<string, Map<string, number>> {
    const biases = this.current.pairBias;
    if (this.indexed?.from !== biases) {
      const byName = new Map<string, Map<string, number>>();
      const add = (a: string, b: string, v: number) => {
        let m = byName.get(a);
        if (!m) byName.set(a, (m = new Map()));
        m.set(b, v);
      };
      for (const [key, v] of Object.entries(biases)) {
        const [a, b] = key.split('\u0000'); // as pairKey joins them
        add(a, b, v);
        add(b, a, v);
      }
      this.indexed = { from: biases, byName };
    }
    return this.indexed.byName;
  }
}
