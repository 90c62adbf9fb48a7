/**
 * Streaming log template miner in the Drain family.
 *
 * He, Zhu, Zheng, Lyu, "Drain: An Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017;
 * Drain3 (logpai/IBM) is the production reference for the tree rules, LRU-bounded clusters and
 * state persistence. Differences, each from the literature on Drain's failure modes:
 * - messages are first reduced to their constant skeleton by generic masking (mask.ts), and the
 *   tree's first layer is the skeleton length, so variables spanning several tokens (sizes with
 *   units, optional fields) no longer split one event across token counts;
 * - similarity is measured over constant tokens only (masked variables do not inflate it);
 * - two different plain words at one position keep messages apart ("VM Paused" / "VM Started"):
 *   with digits masked, what still differs as a plain word is usually the event, not a value;
 *   once `wordVariableAfter` templates differ only in that word, it is taken as a variable.
 * Deterministic: the same messages in the same order always give the same clusters and ids.
 */
import { isPlainWord, maskMessage, renderTemplate, WILDCARD } from './mask.js';
import { type MinerSnapshot, parseMinerSnapshot } from './drain-snapshot.js';

export type { MinerSnapshot } from './drain-snapshot.js';

/** Knobs of the miner; one setting for every dataset. */
export const DEFAULTS = {
  /** Tokens after the length layer that route the tree (Drain's depth minus 2). */
  prefixTokens: 2,
  /** Share of equal constant tokens needed to join a cluster (Drain3 uses 0.4 without skeletons). */
  similarity: 0.5,
  /** Children per tree node before new tokens share the `<*>` child (Drain3's max_children). */
  maxChildren: 100,
  /** Clusters kept; the least recently used is evicted beyond this (Drain3's max_clusters). */
  maxClusters: 50_000,
  /** Two different plain words at one position never share a template (see isPlainWord). */
  wordsSplit: true,
  /** … unless this many templates already differ only in that word: then it is a variable. */
  wordVariableAfter: 5,
};

export type MinerOptions = typeof DEFAULTS;

/** One template: its stable id, how many messages joined it, and its text. */
export interface TemplateCluster {
  readonly id: string;
  readonly size: number;
  readonly template: string;
}

/** What `add` did: the message's cluster and whether that cluster was new or its template changed. */
export interface AddResult {
  cluster: TemplateCluster;
  change: 'created' | 'updated' | 'none';
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: Cluster[];
}

class Cluster implements TemplateCluster {
  size = 0;
  /** Recency stamp: larger is more recently used. */
  used = 0;
  private text: string | undefined;

  constructor(
    readonly seq: number,
    readonly tokens: string[],
    readonly gaps: Uint8Array,
    public leaf: TreeNode | undefined,
  ) {}

  get id(): string {
    return String(this.seq);
  }

  get template(): string {
    this.text ??= renderTemplate(this.tokens, this.gaps);
    return this.text;
  }

  /** Generalises the template with a new member; true when the template text changed. */
  absorb(tokens: string[], gaps: Uint8Array): boolean {
    let changed = false;
    const own = this.tokens;
    for (let i = 0; i < own.length; i++) {
      if (own[i] !== tokens[i] && own[i] !== WILDCARD) {
        own[i] = WILDCARD;
        changed = true;
      }
    }
    const g = this.gaps;
    for (let i = 0; i < g.length; i++) {
      if (gaps[i] && !g[i]) {
        g[i] = 1;
        changed = true;
      }
    }
    if (changed) this.text = undefined;
    this.size++;
    return changed;
  }
}

const newNode = (): TreeNode => ({ children: new Map(), clusters: [] });

/**
 * The miner. Not pure (it learns), but deterministic, and its whole state is `snapshot()`:
 * `TemplateMiner.restore(m.snapshot())` continues exactly where `m` stopped, with the same ids.
 */
export class TemplateMiner {
  readonly options: MinerOptions;
  private readonly root = new Map<number, TreeNode>();
  /** Live clusters by seq; recency is each cluster's `used` stamp (cheaper than reordering a Map). */
  private readonly lru = new Map<number, Cluster>();
  private nextSeq = 1;
  private tick = 0;

  constructor(options: Partial<MinerOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Number of clusters currently held. */
  get size(): number {
    return this.lru.size;
  }

  /** Learns from one message (already stripped of its header) and returns its cluster. */
  add(message: string): AddResult {
    const { tokens, gaps } = maskMessage(message);
    const leaf = this.leafFor(tokens, true) as TreeNode;
    const found = this.bestMatch(leaf, tokens);
    if (found) {
      found.used = ++this.tick;
      return { cluster: found, change: found.absorb(tokens, gaps) ? 'updated' : 'none' };
    }
    const cluster = new Cluster(this.nextSeq++, tokens, gaps, leaf);
    cluster.size = 1;
    cluster.used = ++this.tick;
    leaf.clusters.push(cluster);
    this.lru.set(cluster.seq, cluster);
    if (this.lru.size > this.options.maxClusters) this.evict();
    return { cluster, change: 'created' };
  }

  /** The cluster a message would join, without learning from it. */
  match(message: string): TemplateCluster | undefined {
    const { tokens } = maskMessage(message);
    const leaf = this.leafFor(tokens, false);
    return leaf ? this.bestMatch(leaf, tokens) : undefined;
  }

  /** All clusters, in id order. */
  clusters(): TemplateCluster[] {
    return [...this.lru.values()].sort((a, b) => a.seq - b.seq);
  }

  /** The whole state as plain JSON-able data. */
  snapshot(): MinerSnapshot {
    return {
      version: 1,
      options: {
        ...this.options,
        maxClusters: Number.isFinite(this.options.maxClusters) ? this.options.maxClusters : -1,
      },
      nextSeq: this.nextSeq,
      clusters: this.byRecency().map((c) => ({
        seq: c.seq,
        tokens: [...c.tokens],
        gaps: [...c.gaps] as Array<0 | 1>,
        size: c.size,
      })),
    };
  }

  /** Rebuilds a miner from `snapshot()` output; throws InputError when the data is malformed. */
  static restore(data: unknown): TemplateMiner {
    const snap = parseMinerSnapshot(data);
    const { maxClusters, ...rest } = snap.options;
    const miner = new TemplateMiner({ ...rest, maxClusters: maxClusters < 0 ? Infinity : maxClusters });
    miner.nextSeq = snap.nextSeq;
    // Tree placement depends on creation order (max children), so replay in id order.
    const bySeq = [...snap.clusters].sort((a, b) => a.seq - b.seq);
    const made = new Map<number, Cluster>();
    for (const c of bySeq) {
      const leaf = miner.leafFor(c.tokens, true) as TreeNode;
      const cluster = new Cluster(c.seq, [...c.tokens], Uint8Array.from(c.gaps), leaf);
      cluster.size = c.size;
      leaf.clusters.push(cluster);
      made.set(c.seq, cluster);
    }
    for (const c of snap.clusters) (made.get(c.seq) as Cluster).used = ++miner.tick;
    for (const c of bySeq) miner.lru.set(c.seq, made.get(c.seq) as Cluster);
    return miner;
  }

  /** Walks (and, when `create`, grows) the tree: length layer, then the leading tokens. */
  private leafFor(tokens: string[], create: boolean): TreeNode | undefined {
    let node: TreeNode | undefined = this.root.get(tokens.length);
    if (!node) {
      if (!create) return undefined;
      node = newNode();
      this.root.set(tokens.length, node);
    }
    const depth = Math.min(this.options.prefixTokens, tokens.length);
    for (let i = 0; i < depth; i++) {
      const token = tokens[i];
      let next: TreeNode | undefined = node.children.get(token);
      if (!next && create) next = this.growChild(node, token);
      next ??= node.children.get(WILDCARD);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  /** Drain3's rule: a new token gets its own child until the node is full, then shares `<*>`. */
  private growChild(node: TreeNode, token: string): TreeNode {
    const max = this.options.maxChildren;
    const hasWild = node.children.has(WILDCARD);
    const room = hasWild ? node.children.size < max : node.children.size + 1 < max;
    const key = room || token === WILDCARD ? token : WILDCARD;
    let child = node.children.get(key);
    if (!child) {
      child = newNode();
      node.children.set(key, child);
    }
    return child;
  }

  /** Drain's fast match: highest share of equal constant tokens; ties go to the more general. */
  private bestMatch(leaf: TreeNode, tokens: string[]): Cluster | undefined {
    const n = tokens.length;
    const list = leaf.clusters;
    const words = this.options.wordsSplit;
    let best: Cluster | undefined;
    let bestEq = -1;
    let bestWild = -1;
    // Clusters that differ from the message in exactly one plain word, at position `clashPos`.
    let siblings = 0;
    let firstSibling: Cluster | undefined;
    let clashPos = -1;
    for (let k = 0; k < list.length; k++) {
      const own = list[k].tokens;
      let eq = 0;
      let wild = 0;
      let clashes = 0;
      let at = -1;
      for (let i = 0; i < n; i++) {
        const t = own[i];
        if (t === tokens[i]) eq++;
        else if (t === WILDCARD) wild++;
        else if (words && isPlainWord(t) && isPlainWord(tokens[i])) {
          clashes++;
          at = i;
        }
      }
      if (clashes > 0) {
        if (clashes === 1 && eq + wild === n - 1 && (clashPos < 0 || clashPos === at)) {
          clashPos = at;
          siblings++;
          firstSibling ??= list[k];
        }
        continue;
      }
      if (eq > bestEq || (eq === bestEq && wild > bestWild)) {
        best = list[k];
        bestEq = eq;
        bestWild = wild;
      }
    }
    if (best && (n === 0 || bestEq >= this.options.similarity * n)) return best;
    // Many values at one word position (user names, states): that word is a variable after all.
    return siblings >= this.options.wordVariableAfter ? firstSibling : undefined;
  }

  /** Live clusters, least recently used first. */
  private byRecency(): Cluster[] {
    return [...this.lru.values()].sort((a, b) => a.used - b.used);
  }

  /**
   * Evicts the least recently used clusters: 1% of the cap at once (at least one), so a stream of
   * never-repeating messages costs one sort per 1% of the cap instead of one scan per message.
   */
  private evict(): void {
    const excess = this.lru.size - this.options.maxClusters;
    const n = Math.max(excess, Math.floor(this.options.maxClusters / 100), 1);
    for (const oldest of this.byRecency().slice(0, n)) {
      this.lru.delete(oldest.seq);
      const list = oldest.leaf?.clusters;
      if (list) list.splice(list.indexOf(oldest), 1);
      oldest.leaf = undefined;
    }
  }
}
