/**
 * How close an alerting entity is to an alert group in the knowledge graph, and which of a group's
 * entities are its roots (the deepest: where the fault likely sits). Distances come from
 * causal-distance.ts; this file only applies them to a group's members and roots.
 */
import type { Uid } from '../model/graph.js';
import { type TopologyEdge, createBallFinder } from './causal-distance.js';
import { topologySimilarity } from './correlation-score.js';

/** Topology similarity of entities to groups, and the upkeep of a group's roots. */
export class GroupProximity {
  private balls: ReturnType<typeof createBallFinder> | null;

  /** `unknown`: the similarity when the graph cannot say (entity unknown, or no topology). */
  constructor(
    topology: readonly TopologyEdge[] | undefined,
    private readonly maxHops: number,
    private readonly unknown: number,
  ) {
    this.balls = topology ? createBallFinder(topology, { maxHops }) : null;
  }

  /** Replaces the topology (the system changed). */
  setTopology(topology: readonly TopologyEdge[]): void {
    this.balls = createBallFinder(topology, { maxHops: this.maxHops });
  }

  /**
   * Topology similarity of an entity to a group: 1 if an alert already fired on it, else by
   * distance to the group's roots, or to a member it depends on (a symptom spreading further up
   * the callers) — never through a member it does not depend on, so a fault on a sibling does not
   * join through a shared caller's symptom.
   */
  similarity(
    entity: Uid | null,
    members: ReadonlySet<Uid> | ReadonlyMap<Uid, number>,
    roots: ReadonlySet<Uid>,
  ): number {
    if (entity === null || roots.size === 0) return this.unknown;
    if (members.has(entity)) return 1;
    if (!this.balls || !this.balls.has(entity)) return this.unknown;
    let anyKnown = false;
    for (const u of members.keys())
      if (this.balls.has(u)) {
        anyKnown = true;
        break;
      }
    const hops = Math.min(nearest(this.balls.ball(entity), roots), nearest(this.balls.downBall(entity), members));
    if (hops === Infinity) return anyKnown ? 0 : this.unknown;
    return topologySimilarity(hops, this.maxHops);
  }

  /**
   * Whether member entity `u` is one through which `entity` relates to a group: the entity itself, a
   * member it depends on within `maxHops`, or a root within `maxHops` either way (as `similarity` measures).
   */
  links(entity: Uid, u: Uid, roots: ReadonlySet<Uid>): boolean {
    if (u === entity) return true;
    if (!this.balls || !this.balls.has(entity)) return false;
    return this.balls.downBall(entity).has(u) || (roots.has(u) && this.balls.ball(entity).has(u));
  }

  /**
   * Updates `roots` (mutated) for a new member entity `x`: entities no other member entity sits
   * below, at any depth — a symptom more than `maxHops` above the fault is still no root.
   */
  addRoot(roots: Set<Uid>, x: Uid): void {
    const balls = this.balls;
    if (!balls || !balls.has(x)) {
      roots.add(x);
      return;
    }
    const below = balls.dependencies(x);
    // x is no root when it strictly depends on a root; roots that strictly depend on x stop being roots.
    for (const r of roots) if (below.has(r) && !balls.dependencies(r).has(x)) return;
    for (const r of [...roots]) if (balls.dependencies(r).has(x) && !below.has(r)) roots.delete(r);
    roots.add(x);
  }
}

/** Fewest hops from a ball's centre to any of `targets` (∞ if none is in the ball); walks the smaller side. */
function nearest(ball: ReadonlyMap<Uid, number>, targets: ReadonlySet<Uid> | ReadonlyMap<Uid, number>): number {
  let hops = Infinity;
  if (ball.size < targets.size) {
    for (const [u, h] of ball) if (h < hops && targets.has(u)) hops = h;
  } else {
    for (const u of targets.keys()) {
      const h = ball.get(u);
      if (h !== undefined && h < hops) hops = h;
    }
  }
  return hops;
}
