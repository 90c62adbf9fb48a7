import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import graphology from 'graphology';
import { RootgraphError } from '../../errors.js';
import type {
  EdgeRecord,
  EdgeType,
  GraphBatch,
  NodeRecord,
  Props,
  Subgraph,
  Uid,
  UpsertReport,
} from '../../model/graph.js';
import type {
  CypherResult,
  ExpireOptions,
  ExpireReport,
  FindNodesOptions,
  GraphCounts,
  GraphStore,
  NeighbourhoodOptions,
} from '../graph-store.js';
import { checkBatch, rejectDanglingEdges } from '../validate-batch.js';
import { GraphJournal, type JournalEntry } from './graph-journal.js';
import { collectNeighbourhood } from './neighbourhood.js';

import type { EdgeAttrs, MemoryGraph, NodeAttrs } from './memory-graph.js';

export type { MemoryGraph };

const SNAPSHOT_FILE = 'graph.json';
const SNAPSHOT_VERSION = 1;

/** Options for the embedded graph. Without `dataDir` nothing is persisted. */
export interface MemoryGraphStoreOptions {
  dataDir?: string;
  /** Snapshot this often while open (ms); 0 disables periodic snapshots (close still saves). */
  autosaveMs?: number;
  now?: () => number;
  /**
   * Reads what the data folder holds and never writes it (no snapshot, no journal append): for a
   * command that only looks while `serve` may be writing the same folder.
   */
  readOnly?: boolean;
}

/**
 * The embedded default GraphStore: an in-memory graph (graphology) that snapshots to
 * `<dataDir>/graph.json` (written atomically) so a restart keeps the graph. Real product code,
 * held to the same contract suite as the Neo4j store.
 */
export class MemoryGraphStore implements GraphStore {
  readonly kind = 'memory' as const;
  private readonly sequences = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private dirty = false;
  /** The write-ahead journal (when there is a data folder): changes are acknowledged once it holds them. */
  private journal?: GraphJournal;

  constructor(
    readonly graph: MemoryGraph = new graphology.MultiDirectedGraph<NodeAttrs, EdgeAttrs>(),
    private readonly opts: MemoryGraphStoreOptions = {},
  ) {
    if (opts.dataDir && opts.autosaveMs && !opts.readOnly) this.autosave(opts.autosaveMs);
  }

  private autosave(everyMs: number): void {
    this.timer = setInterval(() => void this.flush(), everyMs);
    this.timer.unref();
  }

  /**
   * Opens the store: the snapshot in `dataDir` when one exists, then every journaled change made
   * after it (what was acknowledged before a crash).
   */
  static async open(opts: MemoryGraphStoreOptions = {}): Promise<MemoryGraphStore> {
    if (!opts.dataDir) return new MemoryGraphStore(undefined, opts);
    await mkdir(opts.dataDir, { recursive: true });
    const file = join(opts.dataDir, SNAPSHOT_FILE);
    const journal = GraphJournal.open(opts.dataDir);
    // A reader beside a running writer: if a newer snapshot replaced the one loaded while the journal
    // was read, the journal may have lost entries this one needs; load again.
    for (let attempt = 0; attempt < 20; attempt++) {
      // No autosave until it is the store returned: a discarded attempt must never write a snapshot.
      const store = new MemoryGraphStore(undefined, { ...opts, autosaveMs: 0 });
      const before = await snapshotIdentity(file);
      const snapshotSeq = await store.load(file);
      for (const entry of journal.after(snapshotSeq)) store.apply(entry);
      if ((await snapshotIdentity(file)) !== before) continue;
      journal.continueAfter(snapshotSeq);
      store.journal = journal;
      if (opts.autosaveMs && !opts.readOnly) store.autosave(opts.autosaveMs);
      return store;
    }
    await journal.close();
    throw new RootgraphError('UNAVAILABLE', `${file} kept changing while it was read`, {
      hint: 'Another process is snapshotting this data folder constantly; try again.',
    });
  }

  /** Applies a change in memory, then resolves once the journal holds it (at once without a data folder). */
  private async commit<T>(entry: JournalEntry, result: T): Promise<T> {
    if (this.opts.readOnly) throw new Error('the embedded graph was opened read-only; this change is not kept');
    if (this.journal) await this.journal.append(entry);
    return result;
  }

  private apply(e: JournalEntry): unknown {
    switch (e.t) {
      case 'upsert':
        return this.applyUpsert(e.batch);
      case 'deleteNodes':
        return this.applyDeleteNodes(e.uids);
      case 'deleteEdges':
        return this.applyDeleteEdges(e.edges);
      case 'expire':
        return this.applyExpire(e.opts);
      case 'sequence':
        this.sequences.set(e.name, e.value);
        this.dirty = true;
        return e.value;
    }
  }

  async upsert(batch: GraphBatch): Promise<UpsertReport> {
    const resolved = { ...batch, observedAt: batch.observedAt ?? this.now() };
    const report = this.applyUpsert(resolved);
    const wrote = report.nodesCreated + report.nodesUpdated + report.edgesCreated + report.edgesUpdated > 0;
    return wrote ? this.commit({ t: 'upsert', batch: resolved }, report) : report;
  }

  // No await in here: a write is atomic with respect to other writes.
  private applyUpsert(batch: GraphBatch & { observedAt: number }): UpsertReport {
    const { observedAt } = batch;
    const checked = checkBatch(batch);
    const existing = new Set([...checked.externalEnds].filter((u) => this.graph.hasNode(u)));
    const edges = rejectDanglingEdges(checked, existing);
    const report: UpsertReport = {
      nodesCreated: 0,
      nodesUpdated: 0,
      edgesCreated: 0,
      edgesUpdated: 0,
      rejected: checked.rejected,
    };
    const touched = new Set<Uid>();
    for (const n of checked.nodes) {
      if (this.graph.hasNode(n.uid)) {
        const a = this.graph.getNodeAttributes(n.uid);
        this.graph.replaceNodeAttributes(n.uid, {
          ...a,
          props: mergeProps(a.props, n.props),
          lastSeen: Math.max(a.lastSeen, observedAt),
        });
        if (!touched.has(n.uid)) report.nodesUpdated++;
      } else {
        this.graph.addNode(n.uid, {
          label: n.label,
          props: mergeProps({}, n.props),
          firstSeen: observedAt,
          lastSeen: observedAt,
        });
        report.nodesCreated++;
      }
      touched.add(n.uid);
    }
    const touchedEdges = new Set<string>();
    for (const e of edges) {
      const key = edgeKey(e.type, e.from, e.to);
      if (this.graph.hasEdge(key)) {
        const a = this.graph.getEdgeAttributes(key);
        this.graph.replaceEdgeAttributes(key, {
          ...a,
          props: mergeProps(a.props, e.props),
          lastSeen: Math.max(a.lastSeen, observedAt),
        });
        if (!touchedEdges.has(key)) report.edgesUpdated++;
      } else {
        this.graph.addDirectedEdgeWithKey(key, e.from, e.to, {
          type: e.type,
          props: mergeProps({}, e.props),
          firstSeen: observedAt,
          lastSeen: observedAt,
        });
        report.edgesCreated++;
      }
      touchedEdges.add(key);
    }
    this.dirty ||= checked.nodes.length + edges.length > 0;
    return report;
  }

  async getNode(id: Uid): Promise<NodeRecord | undefined> {
    return this.graph.hasNode(id) ? this.toNode(id) : undefined;
  }

  async findNodes({ label, where = {}, limit = Infinity }: FindNodesOptions): Promise<NodeRecord[]> {
    const out: NodeRecord[] = [];
    const filters = Object.entries(where);
    for (const id of this.graph.nodes()) {
      if (out.length >= limit) break;
      const a = this.graph.getNodeAttributes(id);
      if (a.label === label && filters.every(([k, v]) => sameValue(a.props[k], v))) out.push(this.toNode(id));
    }
    return out;
  }

  async neighbourhood(roots: Uid[], opts: NeighbourhoodOptions): Promise<Subgraph> {
    const { nodes, edgeKeys } = collectNeighbourhood(this.graph, roots, opts);
    return { nodes: nodes.map((id) => this.toNode(id)), edges: edgeKeys.map((k) => this.toEdge(k)) };
  }

  async expire(opts: ExpireOptions): Promise<ExpireReport> {
    const report = this.applyExpire(opts);
    return report.nodesDeleted + report.edgesDeleted > 0 ? this.commit({ t: 'expire', opts }, report) : report;
  }

  private applyExpire({ before, labels }: ExpireOptions): ExpireReport {
    const report: ExpireReport = { nodesDeleted: 0, edgesDeleted: 0 };
    for (const key of this.graph.edges()) {
      if (this.graph.getEdgeAttribute(key, 'lastSeen') < before) {
        this.graph.dropEdge(key);
        report.edgesDeleted++;
      }
    }
    for (const id of this.graph.nodes()) {
      const a = this.graph.getNodeAttributes(id);
      if (a.lastSeen < before && (!labels || labels.includes(a.label))) {
        report.edgesDeleted += this.graph.degree(id);
        this.graph.dropNode(id);
        report.nodesDeleted++;
      }
    }
    this.dirty ||= report.nodesDeleted + report.edgesDeleted > 0;
    return report;
  }

  async deleteNodes(ids: Uid[]): Promise<number> {
    const deleted = this.applyDeleteNodes(ids);
    return deleted > 0 ? this.commit({ t: 'deleteNodes', uids: ids }, deleted) : deleted;
  }

  private applyDeleteNodes(ids: Uid[]): number {
    let deleted = 0;
    for (const id of new Set(ids)) {
      if (this.graph.hasNode(id)) {
        this.graph.dropNode(id);
        deleted++;
      }
    }
    this.dirty ||= deleted > 0;
    return deleted;
  }

  async deleteEdges(edges: Array<Pick<EdgeRecord, 'type' | 'from' | 'to'>>): Promise<number> {
    const deleted = this.applyDeleteEdges(edges);
    return deleted > 0
      ? this.commit({ t: 'deleteEdges', edges: edges.map(({ type, from, to }) => ({ type, from, to })) }, deleted)
      : deleted;
  }

  private applyDeleteEdges(edges: Array<Pick<EdgeRecord, 'type' | 'from' | 'to'>>): number {
    let deleted = 0;
    for (const e of edges) {
      const key = edgeKey(e.type, e.from, e.to);
      if (this.graph.hasEdge(key)) {
        this.graph.dropEdge(key);
        deleted++;
      }
    }
    this.dirty ||= deleted > 0;
    return deleted;
  }

  async counts(): Promise<GraphCounts> {
    const byLabel: Record<string, number> = {};
    const byType: Record<string, number> = {};
    this.graph.forEachNode((_, a) => void (byLabel[a.label] = (byLabel[a.label] ?? 0) + 1));
    this.graph.forEachEdge((_, a) => void (byType[a.type] = (byType[a.type] ?? 0) + 1));
    return { nodes: this.graph.order, edges: this.graph.size, byLabel, byType };
  }

  async nextSequence(name: string): Promise<number> {
    const next = (this.sequences.get(name) ?? 0) + 1;
    this.sequences.set(name, next);
    this.dirty = true;
    return this.commit({ t: 'sequence', name, value: next }, next);
  }

  async currentSequence(name: string): Promise<number> {
    return this.sequences.get(name) ?? 0;
  }

  async cypher(): Promise<CypherResult> {
    throw new RootgraphError('NEEDS_NEO4J', 'Cypher needs the Neo4j backend; the embedded graph does not run Cypher.', {
      hint: 'Set NEO4J_URI (e.g. bolt://127.0.0.1:7687) and restart.',
    });
  }

  /**
   * Writes the snapshot (temp file + rename, so a crash never leaves half a file) with the journal
   * position it holds, then drops the journal up to there. Nothing acknowledged waits for this.
   */
  async flush(): Promise<void> {
    if (!this.opts.dataDir || !this.dirty || this.opts.readOnly) return;
    this.dirty = false;
    // Taken synchronously with the export: the snapshot holds exactly the changes up to this number.
    const seq = this.journal?.lastSeq ?? 0;
    const file = join(this.opts.dataDir, SNAPSHOT_FILE);
    const body = JSON.stringify({
      version: SNAPSHOT_VERSION,
      journalSeq: seq,
      graph: this.graph.export(),
      sequences: Object.fromEntries(this.sequences),
    });
    await mkdir(this.opts.dataDir, { recursive: true });
    await writeFile(`${file}.tmp`, body);
    await rename(`${file}.tmp`, file);
    await this.journal?.truncate(seq);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    await this.journal?.close();
    this.journal = undefined;
  }

  /** Loads the snapshot; returns the journal position it holds (0 without one). */
  private async load(file: string): Promise<number> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    const snap = JSON.parse(text) as {
      version: number;
      journalSeq?: number;
      graph: Parameters<MemoryGraph['import']>[0];
      sequences: Record<string, number>;
    };
    if (snap.version !== SNAPSHOT_VERSION) {
      throw new RootgraphError(
        'CONFIG_INVALID',
        `${file}: snapshot version ${snap.version} is not ${SNAPSHOT_VERSION}`,
        {
          hint: 'Move the data folder aside to start from an empty graph.',
        },
      );
    }
    this.graph.import(snap.graph);
    for (const [k, v] of Object.entries(snap.sequences ?? {})) this.sequences.set(k, v);
    return snap.journalSeq ?? 0;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private toNode(id: Uid): NodeRecord {
    const a = this.graph.getNodeAttributes(id);
    return { label: a.label, uid: id, props: { ...a.props } };
  }

  private toEdge(key: string): EdgeRecord {
    const a = this.graph.getEdgeAttributes(key);
    return { type: a.type, from: this.graph.source(key), to: this.graph.target(key), props: { ...a.props } };
  }
}

/** Relationship identity: one edge per (type, from, to). */
export function edgeKey(type: EdgeType, from: Uid, to: Uid): string {
  return `${type}\u0000${from}\u0000${to}`;
}

// Like Neo4j's `SET n += props`: null removes a property.
function mergeProps(into: Props, add: Props): Props {
  const out = { ...into };
  for (const [k, v] of Object.entries(add)) {
    if (v === null) delete out[k];
    else out[k] = Array.isArray(v) ? ([...v] as Props[string]) : v;
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** What tells one snapshot file from the next (a snapshot is replaced by rename: a new inode). */
async function snapshotIdentity(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch {
    return 'none';
  }
}
