import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { RootgraphError } from '../../errors.js';
import type { EdgeRecord, GraphBatch, NodeRecord, Props, Subgraph, Uid, UpsertReport } from '../../model/graph.js';
import { isEdgeType, isNodeLabel } from '../../model/graph.js';
import type {
  CypherOptions,
  CypherResult,
  ExpireOptions,
  ExpireReport,
  FindNodesOptions,
  GraphCounts,
  GraphStore,
  NeighbourhoodOptions,
} from '../graph-store.js';
import { checkBatch, rejectDanglingEdges, RESERVED_PROPS, type CheckedBatch } from '../validate-batch.js';
import { runReadOnlyCypher } from './read-only-cypher.js';
import { query, schemaStatements } from './queries.js';
import { toRootgraphError } from './neo4j-errors.js';

export interface Neo4jConnection {
  uri: string;
  user?: string;
  password?: string;
  database?: string;
  /**
   * This process's name among several ingest replicas writing one graph (stable across restarts).
   * With it, statistics records (see `PartMerger`) are kept per replica and shown merged.
   */
  replica?: string;
}

/**
 * How the store keeps per-writer parts of statistics records and shows their merge (the trace path's
 * `traceStatParts`). A record whose label or type is in `kinds` and whose props `toPart` accepts is
 * stored with its part under `part.<replica>`; in the same transaction (holding the element's lock) the
 * store reads every replica's part and sets the shown props to `merge(parts, props)`.
 */
export interface PartMerger {
  kinds: ReadonlySet<string>;
  toPart(kind: string, props: Props): string | undefined;
  merge(kind: string, parts: readonly string[], props: Props): Props;
}

const PART_PREFIX = 'part.';

/** Rows per UNWIND statement: large enough to amortise round trips, small enough for the heap. */
const ROWS_PER_STATEMENT = 5_000;

/**
 * GraphStore on Neo4j 5 via neo4j-driver. Writes are batched `UNWIND … MERGE` on the unique `uid`
 * of the `:Node` label, one transaction per batch (all or nothing); queries live in graph-schema/queries.
 */
export class Neo4jGraphStore implements GraphStore {
  readonly kind = 'neo4j' as const;

  private readonly parts?: { replica: string; merger: PartMerger };

  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
    private readonly now: () => number = Date.now,
    parts?: { replica: string; merger: PartMerger },
  ) {
    if (parts && !/^[A-Za-z0-9_-]{1,64}$/.test(parts.replica))
      throw new RootgraphError('CONFIG_INVALID', `replica name ${JSON.stringify(parts.replica)} is not usable`, {
        hint: 'Use 1 to 64 letters, digits, "-" or "_", the same after every restart (e.g. the pod name of a StatefulSet).',
      });
    this.parts = parts;
  }

  /**
   * Connects, waits for the server, and applies graph-schema's constraints and indexes (idempotent).
   * `parts`: how statistics records merge across replicas, used when `conn.replica` is set.
   */
  static async connect(
    conn: Neo4jConnection,
    opts: { now?: () => number; parts?: PartMerger } = {},
  ): Promise<Neo4jGraphStore> {
    const auth = conn.password ? neo4j.auth.basic(conn.user ?? 'neo4j', conn.password) : undefined;
    const driver = neo4j.driver(conn.uri, auth, { disableLosslessIntegers: true, maxConnectionPoolSize: 50 });
    try {
      await driver.verifyConnectivity({ database: conn.database });
    } catch (err) {
      await driver.close();
      throw new RootgraphError('UNAVAILABLE', `Neo4j at ${conn.uri} did not answer: ${(err as Error).message}`, {
        hint: 'Start it (npm run services -- up neo4j) or fix NEO4J_URI.',
        cause: err,
      });
    }
    const parts = conn.replica && opts.parts ? { replica: conn.replica, merger: opts.parts } : undefined;
    let store: Neo4jGraphStore;
    try {
      store = new Neo4jGraphStore(driver, conn.database, opts.now, parts);
    } catch (err) {
      await driver.close();
      throw err;
    }
    try {
      await store.applySchema();
    } catch (err) {
      await driver.close();
      throw toRootgraphError(err);
    }
    return store;
  }

  async applySchema(): Promise<void> {
    const session = this.driver.session({ database: this.database });
    try {
      for (const statement of schemaStatements()) await session.run(statement);
      await session.run('CALL db.awaitIndexes(60)');
    } finally {
      await session.close();
    }
  }

  async upsert(batch: GraphBatch): Promise<UpsertReport> {
    const observedAt = batch.observedAt ?? this.now();
    const checked = checkBatch(batch);
    const merging = this.parts ? withParts(checked, this.parts) : undefined;
    return this.write(async (tx) => {
      // Existence is checked in the same transaction that writes, so no edge can dangle.
      const existing = new Set<Uid>();
      if (checked.externalEnds.size > 0) {
        const res = await tx.run(query('existing-uids'), { uids: [...checked.externalEnds] });
        for (const r of res.records) existing.add(r.get('uid'));
      }
      const edges = rejectDanglingEdges(checked, existing);
      const report: UpsertReport = {
        nodesCreated: 0,
        nodesUpdated: 0,
        edgesCreated: 0,
        edgesUpdated: 0,
        rejected: checked.rejected,
      };
      for (const rows of chunks(checked.nodes.map((n) => ({ uid: n.uid, label: n.label, props: n.props })))) {
        const res = await tx.run(query('upsert-nodes'), { rows, observedAt });
        report.nodesCreated += res.summary.counters.updates().nodesCreated;
      }
      report.nodesUpdated = new Set(checked.nodes.map((n) => n.uid)).size - report.nodesCreated;
      for (const rows of chunks(edges)) {
        const res = await tx.run(query('upsert-edges'), { rows, observedAt });
        report.edgesCreated += res.summary.counters.updates().relationshipsCreated;
      }
      report.edgesUpdated =
        new Set(edges.map((e) => `${e.type}\u0000${e.from}\u0000${e.to}`)).size - report.edgesCreated;
      if (merging) await showMerged(tx, merging, edges);
      return report;
    });
  }

  async getNode(id: Uid): Promise<NodeRecord | undefined> {
    return (await this.getNodes([id]))[0];
  }

  async findNodes({ label, where = {}, limit = 1_000_000 }: FindNodesOptions): Promise<NodeRecord[]> {
    if (!isNodeLabel(label)) throw new RootgraphError('INPUT_INVALID', `unknown label ${JSON.stringify(label)}`);
    const res = await this.read((tx) => tx.run(query('find-nodes'), { label, where, limit: neo4j.int(limit) }));
    return res.records.map((r) => toNode(r.get('uid'), r.get('label'), r.get('props')));
  }

  async neighbourhood(roots: Uid[], opts: NeighbourhoodOptions): Promise<Subgraph> {
    const types = opts.edges ?? null;
    const maxNodes = opts.maxNodes ?? Infinity;
    return this.read(async (tx) => {
      const found = await tx.run(query('existing-uids'), { uids: [...new Set(roots)] });
      const seen = new Set<Uid>(found.records.map((r) => r.get('uid') as Uid));
      let frontier = [...seen];
      for (let h = 0; h < opts.hops && frontier.length > 0 && seen.size < maxNodes; h++) {
        const res = await tx.run(query('expand-frontier'), { frontier, types, direction: opts.direction ?? 'both' });
        const next: Uid[] = [];
        for (const r of res.records) {
          const u = r.get('uid') as Uid;
          if (!seen.has(u) && seen.size < maxNodes) {
            seen.add(u);
            next.push(u);
          }
        }
        frontier = next;
      }
      const uids = [...seen];
      const nodes = await tx.run(query('get-nodes'), { uids });
      const edges = await tx.run(query('edges-among'), { uids, types });
      return {
        nodes: nodes.records.map((r) => toNode(r.get('uid'), r.get('label'), r.get('props'))),
        edges: edges.records.map((r): EdgeRecord => ({
          type: r.get('type'),
          from: r.get('from'),
          to: r.get('to'),
          props: userProps(r.get('props')),
        })),
      };
    });
  }

  async expire({ before, labels }: ExpireOptions): Promise<ExpireReport> {
    return this.write(async (tx) => {
      const e = await tx.run(query('expire-edges'), { before });
      const n = await tx.run(query('expire-nodes'), { before, labels: labels ?? null });
      const ec = e.summary.counters.updates();
      const nc = n.summary.counters.updates();
      return { nodesDeleted: nc.nodesDeleted, edgesDeleted: ec.relationshipsDeleted + nc.relationshipsDeleted };
    });
  }

  async deleteNodes(uids: Uid[]): Promise<number> {
    return this.write(
      async (tx) =>
        (await tx.run(query('delete-nodes'), { uids: [...new Set(uids)] })).summary.counters.updates().nodesDeleted,
    );
  }

  async deleteEdges(edges: Array<Pick<EdgeRecord, 'type' | 'from' | 'to'>>): Promise<number> {
    const rows = edges.filter((e) => isEdgeType(e.type)).map((e) => ({ type: e.type, from: e.from, to: e.to }));
    if (rows.length === 0) return 0;
    return this.write(
      async (tx) => (await tx.run(query('delete-edges'), { rows })).summary.counters.updates().relationshipsDeleted,
    );
  }

  async counts(): Promise<GraphCounts> {
    return this.read(async (tx) => {
      const byLabel: Record<string, number> = {};
      const byType: Record<string, number> = {};
      for (const r of (await tx.run(query('count-labels'))).records)
        byLabel[r.get('label')] = (byLabel[r.get('label')] ?? 0) + r.get('n');
      for (const r of (await tx.run(query('count-types'))).records) byType[r.get('type')] = r.get('n');
      const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
      return { nodes: sum(byLabel), edges: sum(byType), byLabel, byType };
    });
  }

  async nextSequence(name: string): Promise<number> {
    return this.write(async (tx) => (await tx.run(query('next-sequence'), { name })).records[0].get('value') as number);
  }

  async currentSequence(name: string): Promise<number> {
    const res = await this.read((tx) => tx.run(query('current-sequence'), { name }));
    return res.records[0].get('value') as number;
  }

  async cypher(text: string, opts: CypherOptions): Promise<CypherResult> {
    return runReadOnlyCypher(this.driver, text, { ...opts, database: this.database });
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    await this.driver.close();
  }

  private async getNodes(uids: Uid[]): Promise<NodeRecord[]> {
    const res = await this.read((tx) => tx.run(query('get-nodes'), { uids }));
    return res.records.map((r) => toNode(r.get('uid'), r.get('label'), r.get('props')));
  }

  private async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(work);
    } catch (err) {
      throw toRootgraphError(err);
    } finally {
      await session.close();
    }
  }

  private async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(work);
    } catch (err) {
      throw toRootgraphError(err);
    } finally {
      await session.close();
    }
  }
}

function* chunks<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) yield items.slice(i, i + ROWS_PER_STATEMENT);
}

function toNode(uid: Uid, label: string, props: Record<string, unknown>): NodeRecord {
  return { uid, label: label as NodeRecord['label'], props: userProps(props) };
}

function userProps(props: Record<string, unknown>): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(props))
    if (!RESERVED_PROPS.has(k) && !k.startsWith(PART_PREFIX)) out[k] = v as Props[string];
  return out;
}

interface Merging {
  merger: PartMerger;
  nodes: NodeRecord[];
  edges: Set<EdgeRecord>;
}

/**
 * Adds this replica's part to the statistics records of a checked batch (in place), and sorts the
 * batch so concurrent replicas lock shared elements in the same order. Returns what to merge after writing.
 */
function withParts(checked: CheckedBatch, parts: { replica: string; merger: PartMerger }): Merging | undefined {
  const { merger } = parts;
  const key = `${PART_PREFIX}${parts.replica}`;
  const nodes: NodeRecord[] = [];
  const edges = new Set<EdgeRecord>();
  checked.nodes = checked.nodes.map((n) => {
    const part = merger.kinds.has(n.label) ? merger.toPart(n.label, n.props) : undefined;
    if (part === undefined) return n;
    const withPart = { ...n, props: { ...n.props, [key]: part } };
    nodes.push(withPart);
    return withPart;
  });
  for (const c of checked.edges) {
    const part = merger.kinds.has(c.edge.type) ? merger.toPart(c.edge.type, c.edge.props) : undefined;
    if (part === undefined) continue;
    c.edge = { ...c.edge, props: { ...c.edge.props, [key]: part } };
    edges.add(c.edge);
  }
  if (nodes.length === 0 && edges.size === 0) return undefined;
  checked.nodes.sort((a, b) => compare(a.uid, b.uid));
  checked.edges.sort((a, b) => compare(edgeKey(a.edge), edgeKey(b.edge)));
  return { merger, nodes, edges };
}

/** Reads every replica's part of the records just written (their locks are held) and sets the merged props. */
async function showMerged(tx: ManagedTransaction, m: Merging, written: EdgeRecord[]): Promise<void> {
  if (m.nodes.length) {
    const res = await tx.run(query('node-parts'), { uids: m.nodes.map((n) => n.uid) });
    const parts = new Map(res.records.map((r) => [r.get('uid') as Uid, r.get('parts') as string[]]));
    const rows = m.nodes.map((n) => ({ uid: n.uid, props: m.merger.merge(n.label, parts.get(n.uid) ?? [], n.props) }));
    await tx.run(query('set-node-props'), { rows: rows.map((r) => ({ ...r, props: stripParts(r.props) })) });
  }
  const edges = written.filter((e) => m.edges.has(e));
  if (edges.length) {
    const keyed = edges.map((e, i) => ({ i, type: e.type, from: e.from, to: e.to }));
    const res = await tx.run(query('edge-parts'), { rows: keyed });
    const parts = new Map(res.records.map((r) => [r.get('i') as number, r.get('parts') as string[]]));
    const rows = edges.map((e, i) => ({
      type: e.type,
      from: e.from,
      to: e.to,
      props: stripParts(m.merger.merge(e.type, parts.get(i) ?? [], e.props)),
    }));
    for (const chunk of chunks(rows)) await tx.run(query('set-edge-props'), { rows: chunk });
  }
}

function stripParts(props: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(props)) if (!k.startsWith(PART_PREFIX)) out[k] = v;
  return out;
}

const edgeKey = (e: Pick<EdgeRecord, 'type' | 'from' | 'to'>) => `${e.type}\u0000${e.from}\u0000${e.to}`;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
