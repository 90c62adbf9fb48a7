/**
 * Streaming log template miner in the Drain family, with merge steps and variables learned from
 * the stream's own statistics.
 *
 * He, Zhu, Zheng, Lyu, "Drain: An Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017;
 * Drain3 (logpai/IBM) is the production reference for the tree rules and LRU-bounded clusters.
 * What differs, each from the literature on Drain's failure modes:
 * - messages are first reduced to their constant skeleton by generic masking (mask.ts), and the
 *   tree's first layer is the skeleton length, so variables spanning several tokens (sizes with
 *   units, optional fields) do not split one event across token counts;
 * - a Drain cluster ("family") is split into events ("groups") by its words: two messages that
 *   differ in a word are different events ("VM Paused" / "VM Started") until the stream shows the
 *   position is a variable: `wordVariableAfter` groups of the family differ only there (a
 *   conditional cardinality, so "from A to B" state pairs stay apart while user names merge);
 *   Brain (Yu et al., TSC 2023) makes the same column-cardinality decision offline;
 * - merge step: groups whose templates read the same (runs of `<*>` collapsed) are one event, even
 *   when reached through different skeleton lengths (`user <*>` from `user1` and, later, from
 *   `user alice` once that word is known to vary), as in Drain's merge follow-ups.
 * Deterministic: the same messages in the same order always give the same clusters and ids.
 */
import { bareValue, gapTexts, isIdentifier, maskMessage } from './mask.js';
import { type MinerSnapshot, parseMinerSnapshot } from './drain-snapshot.js';
import {
  Family,
  Group,
  hashKey,
  newNode,
  postingKey,
  root,
  type TemplateCluster,
  type TreeNode,
  union,
} from './template-group.js';

export type { MinerSnapshot } from './drain-snapshot.js';
export type { TemplateCluster } from './template-group.js';

/** Knobs of the miner; one setting for every dataset (`rootgraph eval logs --lodo` fits them). */
export const DEFAULTS = {
  /** Tokens after the length layer that route the tree (Drain's depth minus 2). */
  prefixTokens: 0,
  /** Share of a family's constant tokens a message must match to join it (Drain3 uses 0.4). */
  similarity: 0.5,
  /** Children per tree node before new tokens share the `<*>` child (Drain3's max_children). */
  maxChildren: 100,
  /** Clusters kept; the least recently used families are evicted beyond this (Drain3's max_clusters). */
  maxClusters: 50_000,
  /** A position is a variable once this many groups of a family differ only there. */
  wordVariableAfter: 5,
};

export type MinerOptions = typeof DEFAULTS;

/** What `add` did: the message's cluster and whether that cluster was new or its template changed. */
export interface AddResult {
  cluster: TemplateCluster;
  change: 'created' | 'updated' | 'none';
}

const WILD_CHILD = '<*>';
/** The exact-skeleton cache is dropped beyond this many entries (it only saves the tree walk). */
const CACHE_LIMIT = 200_000;
/** Families with more groups than this are not re-judged after a merge (the cost is quadratic). */
const RECHECK_LIMIT = 64;
/** Words remembered as variables' values. */
const VALUE_LIMIT = 20_000;

interface CacheEntry {
  group: Group;
  node: TreeNode;
  version: number;
}

/**
 * The miner. Not pure (it learns), but deterministic, and its whole state is `snapshot()`:
 * `TemplateMiner.restore(m.snapshot())` continues exactly where `m` stopped, with the same ids.
 */
export class TemplateMiner {
  readonly options: MinerOptions;
  private readonly root = new Map<number, TreeNode>();
  private readonly families = new Map<number, Family>();
  /** Hash of a merge key (template with runs of `<*>` collapsed) → a group holding it. */
  private readonly byText = new Map<number, Group>();
  /** Hash of a merge key with one word read as a variable → the groups that read so. */
  private readonly byVariant = new Map<number, Group[]>();
  /** Words seen as the value of a variable position (user and host names…). */
  private readonly values = new Set<string>();
  /** Values learnt since the last rejudge. */
  private readonly learnt: string[] = [];
  /** A word → the families where it sets groups apart (bounded by the groups ever made). */
  private readonly byWord = new Map<string, Set<Family>>();
  private readonly cache = new Map<string, CacheEntry>();
  /** Every group by id, also those merged into another (so old ids resolve). */
  private readonly bySeq = new Map<number, Group>();
  private roots = 0;
  private mergeCount = 0;
  private nextSeq = 1;
  private nextFamily = 1;
  private tick = 0;

  constructor(options: Partial<MinerOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Merges of clusters so far in this process (ids handed out earlier may resolve anew after one). */
  get merges(): number {
    return this.mergeCount;
  }

  /** Number of clusters (events) currently held. */
  get size(): number {
    return this.roots;
  }

  /** Learns from one message (already stripped of its header) and returns its cluster. */
  add(message: string): AddResult {
    const { tokens, gaps } = maskMessage(message);
    const key = tokens.join('\u0001');
    const hit = this.cache.get(key);
    let group: Group;
    let change: AddResult['change'] = 'none';
    if (hit && hit.node.version === hit.version) group = hit.group;
    else {
      const found = this.find(tokens);
      if (found) group = found;
      else {
        const seq = this.nextSeq;
        group = this.create(tokens, gaps, gapTexts(message));
        // A new cluster, unless the new group merged straight into an older one.
        change = root(group).seq === seq ? 'created' : 'updated';
      }
      this.rejudge();
      const node = group.family.leaf as TreeNode;
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(key, { group, node, version: node.version });
    }
    group.family.used = ++this.tick;
    group.own++;
    const before = root(group);
    before.total++;
    const grew = group.absorbGaps(gaps, message);
    if (grew) this.reindex(group);
    const cluster = root(group);
    if (change === 'none' && (grew || cluster !== before)) change = 'updated';
    if (this.roots > this.options.maxClusters) this.evict();
    return { cluster, change };
  }

  /** The cluster a message would join, without learning from it. */
  match(message: string): TemplateCluster | undefined {
    const found = this.find(maskMessage(message).tokens, false);
    return found ? root(found) : undefined;
  }

  /** The current id of a cluster id handed out earlier (clusters merge; a merged id lives on). */
  resolve(id: string): string {
    const g = this.bySeq.get(Number(id));
    return g ? root(g).id : id;
  }

  /** The cluster an id handed out earlier now belongs to (undefined once evicted). */
  cluster(id: string): TemplateCluster | undefined {
    const g = this.bySeq.get(Number(id));
    return g ? root(g) : undefined;
  }

  /** All clusters, in id order. */
  clusters(): TemplateCluster[] {
    const out: Group[] = [];
    for (const f of this.families.values()) for (const g of f.groups.values()) if (g.parent === g) out.push(g);
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** The whole state as plain JSON-able data. */
  snapshot(): MinerSnapshot {
    const families = [...this.families.values()].sort((a, b) => a.used - b.used);
    return {
      version: 2,
      options: {
        ...this.options,
        maxClusters: Number.isFinite(this.options.maxClusters) ? this.options.maxClusters : -1,
      },
      nextSeq: this.nextSeq,
      nextFamily: this.nextFamily,
      values: [...this.values],
      families: families.map((f) => ({
        seq: f.seq,
        base: [...f.base],
        variable: [...f.variable.keys()].filter((i) => f.variable[i]),
      })),
      groups: [...this.bySeq.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((g) => ({
          seq: g.seq,
          family: g.family.seq,
          tokens: [...g.tokens],
          gaps: [...g.gaps] as Array<0 | 1>,
          gapText: [...g.gapText],
          size: g.own,
          root: root(g).seq,
        })),
    };
  }

  /** Rebuilds a miner from `snapshot()` output; throws InputError when the data is malformed. */
  static restore(data: unknown): TemplateMiner {
    const snap = parseMinerSnapshot(data);
    const { maxClusters, ...rest } = snap.options;
    const miner = new TemplateMiner({ ...rest, maxClusters: maxClusters < 0 ? Infinity : maxClusters });
    miner.nextSeq = snap.nextSeq;
    miner.nextFamily = snap.nextFamily;
    for (const v of snap.values) miner.values.add(v);
    // Tree placement depends on creation order (max children), so replay in id order.
    for (const f of [...snap.families].sort((a, b) => a.seq - b.seq)) {
      const leaf = miner.leafFor(f.base, true) as TreeNode;
      const family = new Family(f.seq, [...f.base], leaf);
      for (const i of f.variable) family.variable[i] = 1;
      family.hasVariables = f.variable.length > 0;
      attachFamily(leaf, family);
      miner.families.set(f.seq, family);
    }
    for (const f of snap.families) (miner.families.get(f.seq) as Family).used = ++miner.tick;
    // In id order, so of two groups with one key the older is the live one (as markVariable keeps it).
    for (const g of snap.groups) {
      const family = miner.families.get(g.family) as Family;
      const group = new Group(g.seq, family, [...g.tokens], Uint8Array.from(g.gaps), [...g.gapText]);
      group.own = g.size;
      const key = family.keyOf(group.tokens);
      if (!family.groups.has(key)) {
        family.groups.set(key, group);
        if (!family.hasVariables) (family.leaf as TreeNode).exact.set(plainKey(group.tokens), group);
      }
      family.all.push(group);
      miner.bySeq.set(g.seq, group);
    }
    for (const g of snap.groups) {
      const group = miner.bySeq.get(g.seq) as Group;
      const r = miner.bySeq.get(g.root) as Group;
      group.parent = r;
      r.total += group.own;
      if (r !== group) r.members.push(group);
      else miner.roots++;
    }
    for (const f of miner.families.values()) for (const g of f.groups.values()) miner.reindex(g);
    for (const g of [...miner.bySeq.values()].sort((a, b) => a.seq - b.seq)) miner.noteWords(g.family, g);
    return miner;
  }

  /**
   * The group a skeleton belongs to, if any: families with variables (in id order) by their own
   * key, then the others' groups in one lookup.
   */
  private find(tokens: string[], learn = true): Group | undefined {
    const leaf = this.leafFor(tokens, false);
    if (!leaf) return undefined;
    for (const f of leaf.varFamilies) {
      const g = f.groups.get(f.keyOf(tokens));
      if (!g) continue;
      if (learn) for (let i = 0; i < tokens.length; i++) if (f.variable[i]) this.noteValue(tokens[i]);
      return g;
    }
    return leaf.exact.get(plainKey(tokens));
  }

  /** Remembers a word seen as a variable's value (bounded: the first VALUE_LIMIT kept). */
  private noteValue(token: string): void {
    const v = bareValue(token);
    if (this.values.size >= VALUE_LIMIT || this.values.has(v)) return;
    this.values.add(v);
    this.learnt.push(v);
  }

  /**
   * Words just learnt as variables' values: families where such a word keeps groups apart are
   * judged again ("session closed for user cyrus" split before `cyrus` was seen as a user name).
   */
  private rejudge(): void {
    while (this.learnt.length > 0) {
      const v = this.learnt.pop() as string;
      for (const f of this.byWord.get(v) ?? []) {
        if (!this.families.has(f.seq) || f.groups.size > RECHECK_LIMIT) continue;
        for (const g of [...f.groups.values()]) {
          if (f.groups.get(f.keyOf(g.tokens)) === g) this.learnVariables(f, g);
        }
      }
    }
  }

  /** Indexes the words that set a new group apart from its family's first message. */
  private noteWords(family: Family, group: Group): void {
    for (let i = 0; i < group.tokens.length; i++) {
      if (group.tokens[i] === family.base[i]) continue;
      for (const w of [bareValue(group.tokens[i]), bareValue(family.base[i])]) {
        const set = this.byWord.get(w);
        if (set) set.add(family);
        else this.byWord.set(w, new Set([family]));
      }
    }
  }

  /** Places a new skeleton: in the most similar family (or a new one), as a new group. */
  private create(tokens: string[], gaps: Uint8Array, gapText: string[]): Group {
    let family = this.bestFamily(tokens);
    if (!family) {
      const leaf = this.leafFor(tokens, true) as TreeNode;
      family = new Family(this.nextFamily++, [...tokens], leaf);
      attachFamily(leaf, family);
      this.families.set(family.seq, family);
    }
    const group = new Group(this.nextSeq++, family, tokens, Uint8Array.from(gaps), [...gapText]);
    family.groups.set(family.keyOf(tokens), group);
    const leaf = family.leaf as TreeNode;
    if (!family.hasVariables) leaf.exact.set(plainKey(tokens), group);
    this.roots++;
    leaf.version++;
    family.all.push(group);
    this.bySeq.set(group.seq, group);
    this.noteWords(family, group);
    this.reindex(group);
    this.learnVariables(family, group);
    // The new group may have just merged into an older one of its family.
    return family.groups.get(family.keyOf(tokens)) as Group;
  }

  /**
   * Drain's fast match: the family whose constant tokens match best; ties go to the older one.
   * Only families sharing a token at some position (or with variables) can match: those are read
   * from the leaf's postings instead of scanning every family.
   */
  private bestFamily(tokens: string[]): Family | undefined {
    const leaf = this.leafFor(tokens, false);
    if (!leaf) return undefined;
    const candidates = new Set<Family>(leaf.varFamilies);
    for (let i = 0; i < tokens.length; i++)
      for (const f of leaf.postings.get(postingKey(i, tokens[i])) ?? []) candidates.add(f);
    let best: Family | undefined;
    let bestScore = -1;
    for (const f of [...candidates].sort((a, b) => a.seq - b.seq)) {
      const s = f.matchScore(tokens, this.options.similarity);
      if (s > bestScore) {
        best = f;
        bestScore = s;
      }
    }
    return bestScore >= 0 ? best : undefined;
  }

  /**
   * The column-cardinality step: when `wordVariableAfter` groups of the family differ from the new
   * group only at one position, that position is a variable; the groups it kept apart merge. Where
   * two groups differ only at places holding an identifier-like token (`org.a.B`, `rdd_<*>`,
   * `host.example`), those places are variables at once: names joined by dots or slashes are values
   * far more often than events.
   */
  private learnVariables(family: Family, group: Group): void {
    const n = group.tokens.length;
    if (n === 0 || family.groups.size < 2) return;
    const counts = new Uint32Array(n);
    const own = group.tokens;
    const ids: number[] = [];
    for (const other of family.groups.values()) {
      if (other === group) continue;
      let at = -1;
      let diffs = 0;
      let allIds = true;
      for (let i = 0; i < n; i++) {
        if (family.variable[i] || other.tokens[i] === own[i]) continue;
        diffs++;
        at = i;
        if (allIds && !isIdentifier(own[i]) && !isIdentifier(other.tokens[i])) allIds = false;
        if (!allIds && diffs > 1) break;
      }
      if (allIds && diffs > 0) {
        for (let i = 0; i < n; i++) if (!family.variable[i] && other.tokens[i] !== own[i]) ids.push(i);
      }
      if (diffs !== 1) continue;
      // Both words already seen as values of a variable elsewhere: this place is one too.
      const known = this.values.has(bareValue(own[at])) && this.values.has(bareValue(other.tokens[at]));
      counts[at] += known ? this.options.wordVariableAfter : 1;
    }
    for (const i of ids) this.markVariable(family, i);
    for (let i = 0; i < n; i++) if (counts[i] + 1 >= this.options.wordVariableAfter) this.markVariable(family, i);
    for (const i of independentPlaces(family)) this.markVariable(family, i);
  }

  /** Makes position `at` of a family a variable: its groups that now share a key become one. */
  private markVariable(family: Family, at: number): void {
    if (family.variable[at]) return;
    const leaf = family.leaf as TreeNode;
    if (!family.hasVariables) {
      // From now on the family answers membership by its own key.
      for (const g of family.groups.values()) leaf.exact.delete(plainKey(g.tokens));
      family.hasVariables = true;
      insertBySeq(leaf.varFamilies, family);
    }
    family.variable[at] = 1;
    const groups = [...family.groups.values()].sort((a, b) => a.seq - b.seq);
    for (const g of groups) this.noteValue(g.tokens[at]);
    family.groups.clear();
    for (const g of groups) {
      const key = family.keyOf(g.tokens);
      const kept = family.groups.get(key);
      if (!kept) {
        family.groups.set(key, g);
        continue;
      }
      // The same event now: `g` joins `kept` for good (its lines, gaps and union-find root).
      this.absorb(kept, g);
    }
    leaf.version++;
    for (const g of family.groups.values()) {
      g.touch();
      this.reindex(g);
    }
    // The merged groups may now differ in one place only: judge those places again.
    if (family.groups.size > RECHECK_LIMIT) return;
    for (const g of [...family.groups.values()]) {
      if (family.groups.get(family.keyOf(g.tokens)) === g) this.learnVariables(family, g);
    }
  }

  /** Folds group `gone` into `kept` (same family, same key now): its lines, gaps and root. */
  private absorb(kept: Group, gone: Group): void {
    kept.absorbGapsOf(gone);
    this.join(kept, gone);
    kept.own += gone.own;
    gone.own = 0;
    this.unindex(gone);
  }

  /** One event from now on: joins the roots of two groups. */
  private join(a: Group, b: Group): void {
    if (root(a) === root(b)) return;
    union(a, b);
    this.roots--;
    this.mergeCount++;
  }

  /**
   * Re-keys a group after its template changed and runs the merge step: it joins a group that
   * reads the same, and a group that reads the same once one of the two has one more word read as a
   * variable, when that word's place holds a masked variable in the other (`wpad:<*> error` and
   * `<*> error`): a value the masking knows is a variable is evidence that the word is one too.
   */
  private reindex(g: Group): boolean {
    const key = hashKey(g.render(false));
    if (g.indexed === key) return true;
    this.unindex(g);
    const other = this.byText.get(key);
    if (other) this.join(other, g);
    else this.byText.set(key, g);
    g.indexed = key;
    for (const s of this.byVariant.get(key) ?? []) this.join(s, g);
    const n = g.tokens.length;
    for (let i = 0; i < n; i++) {
      if (g.family.variable[i]) continue;
      const v = hashKey(g.render(false, i));
      g.variants.push(v);
      const list = this.byVariant.get(v);
      if (list) list.push(g);
      else this.byVariant.set(v, [g]);
      const same = this.byText.get(v);
      if (same) this.join(same, g);
    }
    return true;
  }

  /** Removes a group's merge key; another group of its root holding the same key takes over. */
  private unindex(g: Group): void {
    for (const v of g.variants) {
      const list = this.byVariant.get(v) as Group[];
      if (list.length === 1) this.byVariant.delete(v);
      else list.splice(list.indexOf(g), 1);
    }
    g.variants = [];
    const key = g.indexed;
    g.indexed = undefined;
    if (key === undefined || this.byText.get(key) !== g) return;
    const r = root(g);
    const heir = [r, ...r.members].find((m) => m !== g && m.indexed === key);
    if (heir) this.byText.set(key, heir);
    else this.byText.delete(key);
  }

  /** Walks (and, when `create`, grows) the tree: length layer, then the leading tokens. */
  private leafFor(tokens: readonly string[], create: boolean): TreeNode | undefined {
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
      next ??= node.children.get(WILD_CHILD);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  /** Drain3's rule: a new token gets its own child until the node is full, then shares `<*>`. */
  private growChild(node: TreeNode, token: string): TreeNode {
    const max = this.options.maxChildren;
    const hasWild = node.children.has(WILD_CHILD);
    const room = hasWild ? node.children.size < max : node.children.size + 1 < max;
    const key = room || token === WILD_CHILD ? token : WILD_CHILD;
    let child = node.children.get(key);
    if (!child) {
      child = newNode();
      node.children.set(key, child);
    }
    return child;
  }

  /**
   * Evicts the least recently used families with their groups: 1% of the cap at once (at least
   * one), so a stream of never-repeating messages costs one sort per 1% of the cap.
   */
  private evict(): void {
    const byAge = [...this.families.values()].sort((a, b) => a.used - b.used);
    const target = this.options.maxClusters - Math.floor(this.options.maxClusters / 100);
    for (const f of byAge) {
      if (this.roots <= target && this.roots <= this.options.maxClusters) break;
      this.dropFamily(f);
    }
    this.cache.clear();
  }

  private dropFamily(f: Family): void {
    this.families.delete(f.seq);
    if (f.leaf) detachFamily(f.leaf, f);
    f.leaf = undefined;
    for (const g of f.all) {
      this.unindex(g);
      this.bySeq.delete(g.seq);
      for (let i = 0; i < g.tokens.length; i++) {
        for (const w of [bareValue(g.tokens[i]), bareValue(f.base[i])]) {
          const set = this.byWord.get(w);
          if (set?.delete(f) && set.size === 0) this.byWord.delete(w);
        }
      }
    }
    for (const g of f.all) {
      const r = root(g);
      if (r !== g) {
        r.members = r.members.filter((m) => m !== g);
        r.total -= g.own;
        continue;
      }
      this.roots--;
      // Members in other families get the oldest of them as their new root.
      const live = g.members.filter((m) => m.family !== f);
      if (live.length === 0) continue;
      const next = live.reduce((x, y) => (x.seq < y.seq ? x : y));
      next.parent = next;
      next.members = live.filter((m) => m !== next);
      next.total = live.reduce((sum, m) => sum + m.own, 0);
      for (const m of next.members) m.parent = next;
      next.touch();
      this.roots++;
    }
  }
}

/**
 * Places whose words vary independently of each other: two places whose values were seen in every
 * combination (`on off`, `off on`, `on on`, `off off`). Words that tell events apart vary together
 * ("from NEW to SCHEDULED", "Bad file descriptor"); parameters vary freely. Pure.
 */
function independentPlaces(family: Family): number[] {
  const groups = [...family.groups.values()];
  if (groups.length < 4) return [];
  const n = family.base.length;
  const values: Array<Set<string>> = [];
  const varying: number[] = [];
  for (let i = 0; i < n; i++) {
    if (family.variable[i]) continue;
    const set = new Set(groups.map((g) => g.tokens[i]));
    values[i] = set;
    if (set.size >= 2) varying.push(i);
  }
  const out = new Set<number>();
  for (let a = 0; a < varying.length; a++) {
    for (let b = a + 1; b < varying.length; b++) {
      const p = varying[a];
      const q = varying[b];
      const full = values[p].size * values[q].size;
      if (full < 4 || full > groups.length) continue;
      const combos = new Set(groups.map((g) => `${g.tokens[p]}\u0001${g.tokens[q]}`));
      if (combos.size === full) out.add(p).add(q);
    }
  }
  return [...out];
}

/** The key of a skeleton in a leaf's `exact` map (a family without variables keys groups so too). */
function plainKey(tokens: readonly string[]): string {
  let k = '';
  for (let i = 0; i < tokens.length; i++) k += `${tokens[i]}\u0001`;
  return k;
}

function insertBySeq(list: Family[], f: Family): void {
  let i = list.length;
  while (i > 0 && list[i - 1].seq > f.seq) i--;
  list.splice(i, 0, f);
}

/** Adds a family to its leaf's lists and postings. */
function attachFamily(leaf: TreeNode, f: Family): void {
  if (f.hasVariables) insertBySeq(leaf.varFamilies, f);
  f.base.forEach((t, i) => {
    const key = postingKey(i, t);
    const list = leaf.postings.get(key);
    if (list) insertBySeq(list, f);
    else leaf.postings.set(key, [f]);
  });
}

/** Removes a family (evicted) from its leaf's lists, postings and exact map. */
function detachFamily(leaf: TreeNode, f: Family): void {
  const drop = (list: Family[]) => {
    const i = list.indexOf(f);
    if (i >= 0) list.splice(i, 1);
  };
  drop(leaf.varFamilies);
  f.base.forEach((t, i) => {
    const key = postingKey(i, t);
    const list = leaf.postings.get(key);
    if (!list) return;
    drop(list);
    if (list.length === 0) leaf.postings.delete(key);
  });
  for (const g of f.groups.values())
    if (leaf.exact.get(plainKey(g.tokens)) === g) leaf.exact.delete(plainKey(g.tokens));
  leaf.version++;
}
