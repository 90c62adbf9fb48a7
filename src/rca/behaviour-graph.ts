/**
 * The anomaly behaviour graph the walk runs on (AutoMAP, Ma et al., WWW 2020, §3): entities as
 * nodes, caller → callee edges from the topology, else from trace parent/child spans, else learned
 * from metrics with a PC-style skeleton (undirected, so both directions). `source` says which.
 */
import { pcSkeleton } from './pc-skeleton.js';

/** Compressed adjacency: neighbours of node i are targets[offsets[i] .. offsets[i+1]). */
export interface Csr {
  offsets: Int32Array;
  targets: Int32Array;
}

export interface BehaviourGraph {
  nodes: string[];
  index: Map<string, number>;
  /** caller → callee (forward moves go this way: towards the cause). */
  out: Csr;
  /** callee → caller (backward moves). */
  in: Csr;
  source: 'topology' | 'traces' | 'pc-skeleton' | 'none';
}

/** What the graph is built from; plain case data fits. */
export interface BehaviourGraphInput {
  entities: readonly string[];
  topology: ReadonlyArray<{ source: string; target: string }>;
  spans?: ReadonlyArray<{ traceId: string; spanId: string; parentSpanId: string | null; entity: string }>;
  /** One representative series per entity (for the skeleton), keyed by entity. */
  representative?: ReadonlyMap<string, Float64Array>;
}

/** Builds the behaviour graph. Pure. Node order: `entities` then any extra topology/trace entity. */
export function buildBehaviourGraph(input: BehaviourGraphInput): BehaviourGraph {
  const nodes = [...new Set(input.entities)];
  const index = new Map(nodes.map((e, i) => [e, i]));
  const id = (e: string) => {
    let i = index.get(e);
    if (i === undefined) {
      i = nodes.length;
      nodes.push(e);
      index.set(e, i);
    }
    return i;
  };
  const pairs: Array<[number, number]> = [];
  let source: BehaviourGraph['source'] = 'none';
  if (input.topology.length > 0) {
    source = 'topology';
    for (const e of input.topology) if (e.source !== e.target) pairs.push([id(e.source), id(e.target)]);
  } else if (input.spans && input.spans.length > 0) {
    source = 'traces';
    const bySpan = new Map<string, string>();
    for (const s of input.spans) bySpan.set(`${s.traceId}\u0000${s.spanId}`, s.entity);
    const seen = new Set<string>();
    for (const s of input.spans) {
      if (s.parentSpanId === null) continue;
      const parent = bySpan.get(`${s.traceId}\u0000${s.parentSpanId}`);
      if (parent === undefined || parent === s.entity || seen.has(`${parent}\u0000${s.entity}`)) continue;
      seen.add(`${parent}\u0000${s.entity}`);
      pairs.push([id(parent), id(s.entity)]);
    }
  } else if (input.representative && input.representative.size > 1) {
    source = 'pc-skeleton';
    const withData = nodes.filter((e) => input.representative?.has(e));
    const cols = withData.map((e) => input.representative?.get(e) as Float64Array);
    for (const [a, b] of pcSkeleton(cols)) {
      pairs.push([id(withData[a]), id(withData[b])], [id(withData[b]), id(withData[a])]);
    }
  }
  const uniq = dedupe(pairs);
  return { nodes, index, out: toCsr(nodes.length, uniq, false), in: toCsr(nodes.length, uniq, true), source };
}

function dedupe(pairs: Array<[number, number]>): Array<[number, number]> {
  const seen = new Set<number>();
  const out: Array<[number, number]> = [];
  for (const [a, b] of pairs) {
    const key = a * 1_048_576 + b;
    if (!seen.has(key)) {
      seen.add(key);
      out.push([a, b]);
    }
  }
  return out;
}

function toCsr(n: number, pairs: Array<[number, number]>, reverse: boolean): Csr {
  const offsets = new Int32Array(n + 1);
  for (const [a, b] of pairs) offsets[(reverse ? b : a) + 1]++;
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(pairs.length);
  for (const [a, b] of pairs) {
    const from = reverse ? b : a;
    targets[fill[from]++] = reverse ? a : b;
  }
  return { offsets, targets };
}

/** Appends the `names` not yet in `g` as nodes without edges (their ids follow the existing ones). Mutates `g`. */
export function addIsolatedNodes(g: BehaviourGraph, names: Iterable<string>): void {
  const before = g.nodes.length;
  for (const name of names) {
    if (g.index.has(name)) continue;
    g.index.set(name, g.nodes.length);
    g.nodes.push(name);
  }
  const added = g.nodes.length - before;
  if (added === 0) return;
  const extend = (csr: Csr): Csr => {
    const offsets = new Int32Array(g.nodes.length + 1);
    offsets.set(csr.offsets);
    offsets.fill(csr.targets.length, csr.offsets.length);
    return { offsets, targets: csr.targets };
  };
  g.out = extend(g.out);
  g.in = extend(g.in);
}

/**
 * Nodes reachable from `root` (one node or several) along `csr` (out: callees, in: callers), nearest
 * first, the roots left out; `skip` nodes are neither visited nor crossed.
 */
export function reachable(csr: Csr, root: number | readonly number[], skip?: Uint8Array): number[] {
  const seen = new Uint8Array(csr.offsets.length - 1);
  const queue = typeof root === 'number' ? [root] : [...root];
  const roots = queue.length;
  for (const r of queue) seen[r] = 1;
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (let e = csr.offsets[v]; e < csr.offsets[v + 1]; e++) {
      const w = csr.targets[e];
      if (seen[w] || skip?.[w]) continue;
      seen[w] = 1;
      queue.push(w);
    }
  }
  return queue.slice(roots);
}

/** Shortest path from `from` to `to` following callee → caller edges (how a fault propagates to the entry). */
export function propagationPath(g: BehaviourGraph, from: string, to: string): string[] | null {
  const s = g.index.get(from),
    t = g.index.get(to);
  if (s === undefined || t === undefined) return null;
  const prev = new Int32Array(g.nodes.length).fill(-1);
  prev[s] = s;
  const queue = [s];
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q];
    if (u === t) break;
    for (const csr of [g.in, g.out]) {
      // Prefer caller hops (true propagation); callee hops only matter for undirected skeletons.
      if (csr === g.out && g.source !== 'pc-skeleton') continue;
      for (let e = csr.offsets[u]; e < csr.offsets[u + 1]; e++) {
        const v = csr.targets[e];
        if (prev[v] < 0) {
          prev[v] = u;
          queue.push(v);
        }
      }
    }
  }
  if (prev[t] < 0) return null;
  const path = [t];
  for (let v = t; v !== s; v = prev[v]) path.push(prev[v]);
  return path.reverse().map((i) => g.nodes[i]);
}
