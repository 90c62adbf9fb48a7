/**
 * Fuzzy name matching for "did you mean …?": optimal string alignment distance (Damerau–Levenshtein
 * restricted to adjacent transpositions; Damerau 1964, Levenshtein 1966) plus prefix and word
 * matches, so `cartsevice` finds `cartservice` and `checkout` finds `checkoutservice`. Pure.
 */

/** Knobs: how far a typo may be from a name and still be suggested. */
export const DEFAULTS = {
  /** Edits allowed per character of the typed name (rounded down, at least 1). */
  editsPerChar: 0.25,
  /** Never more edits than this. */
  maxEdits: 3,
  /** Suggestions returned at most. */
  suggestions: 3,
};

/** Optimal string alignment distance between a and b (insertions, deletions, substitutions, swaps). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows of the DP matrix: i-2, i-1 and i.
  let prev2 = new Uint16Array(m + 1);
  let prev = Uint16Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Uint16Array(m + 1);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/** How a typed name matched a known one; lower `score` is better. */
export interface FuzzyMatch {
  name: string;
  kind: 'exact' | 'prefix' | 'word' | 'typo';
  score: number;
}

const norm = (s: string) => s.toLowerCase().trim();

/**
 * Ranks `names` against what a person typed: exact (case-insensitive), then names starting with it
 * (`checkout` → `checkoutservice`), then names containing it as a dash/dot-separated word, then typos
 * within the edit budget. Returns the best matches first, at most `limit`.
 */
export function fuzzyMatches(typed: string, names: Iterable<string>, limit = DEFAULTS.suggestions): FuzzyMatch[] {
  const t = norm(typed);
  if (!t) return [];
  const budget = Math.min(DEFAULTS.maxEdits, Math.max(1, Math.floor(t.length * DEFAULTS.editsPerChar)));
  const out: FuzzyMatch[] = [];
  for (const name of new Set(names)) {
    const n = norm(name);
    if (!n) continue;
    if (n === t) out.push({ name, kind: 'exact', score: 0 });
    else if (t.length >= 3 && n.startsWith(t))
      out.push({ name, kind: 'prefix', score: 1 + (n.length - t.length) / 100 });
    else if (t.length >= 3 && n.split(/[-_.]/).includes(t))
      out.push({ name, kind: 'word', score: 2 + n.length / 1000 });
    else {
      // Compare against the name and against its prefixes near the typed length (`paymnt` ~ `payment…`);
      // a prefix match ranks half an edit below a whole-name match.
      const whole = editDistance(t, n);
      let prefix = Infinity;
      for (let len = t.length - 1; len <= t.length + 1; len++)
        if (t.length >= 4 && n.length > len) prefix = Math.min(prefix, editDistance(t, n.slice(0, len)));
      if (Math.min(whole, prefix) <= budget)
        out.push({ name, kind: 'typo', score: 3 + Math.min(whole, prefix + 0.5) + n.length / 1000 });
    }
  }
  return out.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name)).slice(0, limit);
}
