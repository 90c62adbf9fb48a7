/**
 * Hop distance between alerting entities in the knowledge graph, bounded by k, as used for
 * topology-aware alert correlation (e.g. Microsoft's "Correlating Events with Time Series for
 * Incident Diagnosis", and the topology-based grouping in BigPanda/Moogsoft-style AIOps).
 * Refinement: a path must run one way along dependencies (ancestor or descendant), with identity
 * edges free — two services that merely share a caller (siblings under the front end) are not
 * related by it; sharing a dependency relates them only when `commonDependency` is set.
 */
import type { EdgeType, Uid } from '../model/graph.js';

/** One relationship of the topology: `from` depends on `to` for CALLS (caller→callee) and RUNS_ON (pod→machine). */
export interface TopologyEdge {
  from: Uid;
  to: Uid;
  type: EdgeType;
}

/** Knobs for distance. */
export const DEFAULTS = {
  /** Entities further apart than this are unrelated. */
  maxHops: 3,
  /** Dependency edges: walked downstream, then upstream (never back down). */
  directed: ['CALLS', 'RUNS_ON'] as EdgeType[],
  /** Identity edges (a service and its pods, a deployment and its pods): walked either way at any time. */
  neutral: ['SELECTS', 'MANAGES'] as EdgeType[],
  /** Also relate entities through something both depend on (down then up). Off: if it were failing, it would alert too. */
  commonDependency: false,
} as const;

export type DistanceOptions = {
  maxHops: number;
  directed: readonly EdgeType[];
  neutral: readonly EdgeType[];
  commonDependency: boolean;
};

/** Entities within `maxHops` of one entity, with their hop count (0 for itself). */
export type Ball = ReadonlyMap<Uid, number>;

interface Adjacency {
  down: Map<Uid, Uid[]>;
  up: Map<Uid, Uid[]>;
  neutral: Map<Uid, Uid[]>;
}

function push(m: Map<Uid, Uid[]>, k: Uid, v: Uid): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/**
 * A memoised `ball(entity)` over a plain edge list: which entities lie within `maxHops` along
 * one-way dependency paths (down* or up*, or down*·up* with `commonDependency`; identity edges
 * free to interleave), and how many hops away.
 * Pure apart from its private cache; an entity absent from the topology gets only itself.
 */
export function createBallFinder(
  edges: readonly TopologyEdge[],
  opts: Partial<DistanceOptions> = {},
): {
  ball(entity: Uid): Ball;
  /** What `entity` depends on within `maxHops`: down dependency edges only (identity edges free). */
  downBall(entity: Uid): Ball;
  /** Everything `entity` depends on at any depth, with hop counts: `downBall` without the bound. */
  dependencies(entity: Uid): Ball;
  has(entity: Uid): boolean;
} {
  const o = { ...DEFAULTS, ...opts };
  const adj: Adjacency = { down: new Map(), up: new Map(), neutral: new Map() };
  const known = new Set<Uid>();
  for (const e of edges) {
    if (o.directed.includes(e.type)) {
      push(adj.down, e.from, e.to);
      push(adj.up, e.to, e.from);
    } else if (o.neutral.includes(e.type)) {
      push(adj.neutral, e.from, e.to);
      push(adj.neutral, e.to, e.from);
    } else continue;
    known.add(e.from);
    known.add(e.to);
  }
  const cache = new Map<Uid, Ball>();
  const downCache = new Map<Uid, Ball>();
  const closureCache = new Map<Uid, Ball>();
  const memo = (c: Map<Uid, Ball>, entity: Uid, shape: Shape, maxHops: number): Ball => {
    let b = c.get(entity);
    if (!b) {
      b = bfs(adj, entity, maxHops, shape);
      c.set(entity, b);
    }
    return b;
  };
  const wide: Shape = o.commonDependency ? 'down-up' : 'one-way';
  return {
    has: (entity) => known.has(entity),
    ball: (entity) => memo(cache, entity, wide, o.maxHops),
    downBall: (entity) => memo(downCache, entity, 'down', o.maxHops),
    dependencies: (entity) => memo(closureCache, entity, 'down', Infinity),
  };
}

/** Phases of a path: 0 not yet committed, 1 going down, 2 going up. */
type Phase = 0 | 1 | 2;

/** Which paths a BFS may take: down only, one way (down* or up*), or down then up. */
type Shape = 'down' | 'one-way' | 'down-up';

/** BFS over (entity, phase) states, so each path keeps to the allowed shape. */
function bfs(adj: Adjacency, start: Uid, maxHops: number, shape: Shape): Ball {
  const best = new Map<Uid, number>([[start, 0]]);
  const seen = [new Set<Uid>([start]), new Set<Uid>(), new Set<Uid>()];
  let frontier: Array<[Uid, Phase]> = [[start, 0]];
  for (let hops = 1; hops <= maxHops && frontier.length > 0; hops++) {
    const next: Array<[Uid, Phase]> = [];
    const visit = (u: Uid, phase: Phase) => {
      if (seen[phase].has(u)) return;
      seen[phase].add(u);
      if (!best.has(u)) best.set(u, hops);
      next.push([u, phase]);
    };
    for (const [u, phase] of frontier) {
      for (const v of adj.neutral.get(u) ?? []) visit(v, phase);
      if (phase !== 2) for (const v of adj.down.get(u) ?? []) visit(v, 1);
      const mayGoUp = shape === 'down-up' ? true : shape === 'one-way' ? phase !== 1 : false;
      if (mayGoUp) for (const v of adj.up.get(u) ?? []) visit(v, 2);
    }
    frontier = next;
  }
  return best;
}
