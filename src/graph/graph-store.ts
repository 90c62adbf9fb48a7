import type {
  EdgeRecord,
  EdgeType,
  GraphBatch,
  NodeLabel,
  NodeRecord,
  Props,
  Subgraph,
  Uid,
  UpsertReport,
} from '../model/graph.js';

/** Options for reading the neighbourhood of some root nodes. */
export interface NeighbourhoodOptions {
  /** How many relationship hops to follow from the roots (0 = the roots only). */
  hops: number;
  /** Relationship types to follow; all when omitted. */
  edges?: EdgeType[];
  /** Direction relative to the traversal: `both` (default), `out` or `in`. */
  direction?: 'out' | 'in' | 'both';
  /** Stop adding nodes beyond this many (the subgraph stays connected to the roots). */
  maxNodes?: number;
}

export interface FindNodesOptions {
  label: NodeLabel;
  /** Equality filter on properties. */
  where?: Props;
  limit?: number;
}

export interface ExpireOptions {
  /** Delete nodes and relationships whose `lastSeen` is older than this (ms since epoch). */
  before: number;
  /** Restrict node expiry to these labels (relationships of any type are expired by age). */
  labels?: NodeLabel[];
}

export interface ExpireReport {
  nodesDeleted: number;
  edgesDeleted: number;
}

export interface GraphCounts {
  nodes: number;
  edges: number;
  byLabel: Record<string, number>;
  byType: Record<string, number>;
}

/** Limits on an SRE's Cypher query. */
export interface CypherOptions {
  timeoutMs: number;
  maxRows: number;
  params?: Record<string, unknown>;
}

export interface CypherResult {
  columns: string[];
  rows: unknown[][];
  /** True when more rows existed than `maxRows`. */
  truncated: boolean;
  elapsedMs: number;
}

/** The only way the rest of rootgraph reads or writes the knowledge graph. */
export interface GraphStore {
  /** Which adapter this is, for logs and `rootgraph graph status`. */
  readonly kind: 'memory' | 'neo4j';
  /**
   * Idempotent: the same batch twice leaves the graph as once. Node props merge into existing ones;
   * an edge is keyed by (type, from, to) and its props merge too. Invalid records (bad props, an edge
   * whose end nodes exist neither in the batch nor in the graph) are rejected and reported, never
   * half-written; the rest of the batch is written atomically.
   */
  upsert(batch: GraphBatch): Promise<UpsertReport>;
  getNode(uid: Uid): Promise<NodeRecord | undefined>;
  findNodes(opts: FindNodesOptions): Promise<NodeRecord[]>;
  /** The roots plus everything within `hops`, with the relationships among them. */
  neighbourhood(roots: Uid[], opts: NeighbourhoodOptions): Promise<Subgraph>;
  /** Deletes nodes (with their relationships) and relationships not seen since `before`. */
  expire(opts: ExpireOptions): Promise<ExpireReport>;
  /** Deletes the given nodes and their relationships; unknown uids are ignored. */
  deleteNodes(uids: Uid[]): Promise<number>;
  /** Deletes the relationships identified by (type, from, to); unknown ones are ignored. Returns how many went. */
  deleteEdges(edges: Array<Pick<EdgeRecord, 'type' | 'from' | 'to'>>): Promise<number>;
  counts(): Promise<GraphCounts>;
  /** Atomically allocates the next number of a named sequence (incident numbers), starting at 1. */
  nextSequence(name: string): Promise<number>;
  /** The last number a named sequence allocated (0 before the first); allocates nothing. */
  currentSequence(name: string): Promise<number>;
  /** Read-only Cypher for SREs; the memory store throws NEEDS_NEO4J. */
  cypher(query: string, opts: CypherOptions): Promise<CypherResult>;
  /** Makes sure everything written is durable (memory: snapshot to disk; Neo4j: no-op). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
