/**
 * The miner's two kinds of cluster (see drain.ts): a `Family` holds messages of one shape (same
 * skeleton length, similar constant tokens) and knows which of its positions are variables; a
 * `Group` is one event inside a family (its messages agree on every position that is not a
 * variable). Groups whose templates read the same are one event however they were reached, and
 * share a root (union-find): the root is the cluster the miner reports.
 */
import { gapTexts, VARIABLE_TOKEN, WILDCARD } from './mask.js';

/** One template as the miner reports it: its stable id, how many messages joined it, and its text. */
export interface TemplateCluster {
  readonly id: string;
  readonly size: number;
  readonly template: string;
}

/** A node of the routing tree: the families whose skeletons lead here, and indexes over them. */
export interface TreeNode {
  children: Map<string, TreeNode>;
  /** Families with a variable position, in id order (membership needs their own key). */
  varFamilies: Family[];
  /** Groups of the families without variable positions, by their tokens (membership in one lookup). */
  exact: Map<string, Group>;
  /** `position, token` of each family's first message → the families (candidates for a match). */
  postings: Map<string, Family[]>;
  /** Bumped whenever a lookup through this node could answer differently (cache validity). */
  version: number;
}

export const newNode = (): TreeNode => ({
  children: new Map(),
  varFamilies: [],
  exact: new Map(),
  postings: new Map(),
  version: 0,
});

/** The posting key of a token at a position. */
export const postingKey = (position: number, token: string): string => `${position}\u0001${token}`;

const SEP = '\u0001';

/** Messages of one shape; positions become variables once enough groups differ only there. */
export class Family {
  readonly variable: Uint8Array;
  readonly groups = new Map<string, Group>();
  /** Every group ever made in this family, also those merged into another. */
  readonly all: Group[] = [];
  /** Recency stamp: larger is more recently used. */
  used = 0;

  constructor(
    readonly seq: number,
    readonly base: readonly string[],
    public leaf: TreeNode | undefined,
  ) {
    this.variable = new Uint8Array(base.length);
  }

  /** True once any position is a variable. */
  hasVariables = false;

  /** The group key of a message's tokens: its values at the positions that are not variables. */
  keyOf(tokens: readonly string[]): string {
    let k = '';
    for (let i = 0; i < tokens.length; i++) k += (this.variable[i] ? WILDCARD : tokens[i]) + SEP;
    return k;
  }

  /**
   * Constant positions that match: the share of non-variable positions equal to the family's
   * first message, or -1 when below `similarity` (Drain's similarity, variables excluded).
   */
  matchScore(tokens: readonly string[], similarity: number): number {
    const base = this.base;
    let eq = 0;
    let fixed = 0;
    for (let i = 0; i < base.length; i++) {
      if (this.variable[i]) continue;
      fixed++;
      if (base[i] === tokens[i]) eq++;
    }
    if (fixed === 0) return 0;
    return eq >= 1 && eq >= similarity * fixed ? eq / fixed : -1;
  }
}

/** One event: the values its messages share, where variables sat, and its place in the union-find. */
export class Group implements TemplateCluster {
  /** Lines that joined this group itself (a root's `size` adds its members'). */
  own = 0;
  /** Union-find parent; the root points to itself. */
  parent: Group = this;
  /** On a root: lines of the root and all its members. */
  total = 0;
  /** On a root: the other groups that joined it. */
  members: Group[] = [];
  /** The hash of the merge key the text index holds for this group (undefined before indexing). */
  indexed: number | undefined;
  /** Hashes of its merge keys with one more position read as a variable (TemplateMiner's merge step). */
  variants: number[] = [];
  private text: string | undefined;

  constructor(
    readonly seq: number,
    readonly family: Family,
    readonly tokens: readonly string[],
    readonly gaps: Uint8Array,
    readonly gapText: string[],
  ) {}

  get id(): string {
    return String(this.seq);
  }

  get size(): number {
    return root(this).total;
  }

  get template(): string {
    const r = root(this);
    r.text ??= r.render(true);
    return r.text;
  }

  /** Marks the cached text stale (a gap or a variable position changed). */
  touch(): void {
    this.text = undefined;
  }

  /** ORs a message's gaps in; true when a gap is new (the template changed). */
  absorbGaps(gaps: Uint8Array, message: string): boolean {
    const g = this.gaps;
    let texts: string[] | undefined;
    for (let i = 0; i < g.length; i++) {
      if (!gaps[i] || g[i]) continue;
      g[i] = 1;
      texts ??= gapTexts(message);
      this.gapText[i] = texts[i];
    }
    if (texts) this.touch();
    return texts !== undefined;
  }

  /** ORs another group's gaps in (same family, same length). */
  absorbGapsOf(other: Group): void {
    for (let i = 0; i < this.gaps.length; i++) {
      if (!other.gaps[i] || this.gaps[i]) continue;
      this.gaps[i] = 1;
      this.gapText[i] = other.gapText[i];
      this.touch();
    }
  }

  /**
   * The template text. `decorated` keeps each variable's punctuation (`(<*>)`); without it, the
   * merge key: runs of variables read as one `<*>`, so templates that differ only in how many
   * variables sit in a row are the same event.
   */
  render(decorated: boolean, wildAt = -1): string {
    const parts: string[] = [];
    let lastBare = false;
    const push = (piece: string, collapsible: boolean) => {
      if (collapsible && piece === WILDCARD && lastBare) return;
      parts.push(piece);
      lastBare = collapsible && piece === WILDCARD;
    };
    const variable = this.family.variable;
    const n = this.tokens.length;
    for (let i = 0; i <= n; i++) {
      if (this.gaps[i]) push(decorated ? this.gapText[i] || WILDCARD : WILDCARD, true);
      if (i === n) break;
      const t = this.tokens[i];
      if (t === VARIABLE_TOKEN) push(WILDCARD, false);
      else if (variable[i] || i === wildAt) {
        // A `key=value` field keeps its key: `user=<*>` and `rhost=<*>` are different fields.
        const key = fieldKey(t);
        if (key) push(`${key}${WILDCARD}`, false);
        else push(decorated ? decorateWildcard(t) : WILDCARD, true);
      } else push(t, false);
    }
    return parts.join(' ');
  }
}

/** Root of a group, compressing the path on the way. */
export function root(g: Group): Group {
  let r = g;
  while (r.parent !== r) r = r.parent;
  let x = g;
  while (x.parent !== r) {
    const next = x.parent;
    x.parent = r;
    x = next;
  }
  return r;
}

/** Joins two roots; the older (smaller seq) stays the root so ids stay stable. Returns the root. */
export function union(a: Group, b: Group): Group {
  const ra = root(a);
  const rb = root(b);
  if (ra === rb) return ra;
  const [keep, gone] = ra.seq < rb.seq ? [ra, rb] : [rb, ra];
  gone.parent = keep;
  keep.total += gone.total;
  keep.members.push(gone, ...gone.members);
  gone.members = [];
  keep.touch();
  return keep;
}

/** `user=` of `user=root` (a key of letters, digits, `_`, `-`, `.`), or '' for other tokens. */
function fieldKey(token: string): string {
  const eq = token.indexOf('=');
  if (eq <= 0 || !/^[A-Za-z][\w.-]*$/.test(token.slice(0, eq))) return '';
  return token.slice(0, eq + 1);
}

/** `<*>` with the brackets and trailing punctuation of the value it stands for. */
function decorateWildcard(value: string): string {
  // A partly masked word keeps its own punctuation only up to its masked part.
  if (value.includes(WILDCARD)) return WILDCARD;
  let a = 0;
  while (a < value.length && '([{<"\''.includes(value[a])) a++;
  let b = value.length;
  while (b > a && ')]}>"\',;:.!?'.includes(value[b - 1])) b--;
  return a >= b ? WILDCARD : `${value.slice(0, a)}${WILDCARD}${value.slice(b)}`;
}

/**
 * A 53-bit hash of a merge key (cyrb53, public domain): the text indexes hold hashes, not the
 * keys, so a miner with 50,000 clusters does not keep a million template strings. A collision
 * would merge two clusters; at 2^-53 per pair it is not expected in any realistic stream.
 */
export function hashKey(key: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
