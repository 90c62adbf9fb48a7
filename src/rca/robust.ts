/** Small robust statistics over typed arrays (NaN-skipping). Pure. */

/** Finite values of `values` at `idx`, as a new array. */
export function pick(values: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  let n = 0;
  for (let i = 0; i < idx.length; i++) {
    const v = values[idx[i]];
    if (Number.isFinite(v)) out[n++] = v;
  }
  return out.subarray(0, n);
}

/** The values at `rows`, NaN kept, so two series picked by the same rows stay aligned (for pearson). */
export function atRows(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}

/** Linear-interpolated quantile q∈[0,1] of an ascending-sorted array; NaN when empty. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The q-quantile quantileSorted would give on the sorted values, by selection instead of a sort (O(n));
 * reorders `scratch`, which must hold no NaN.
 */
export function quantileSelect(scratch: Float64Array, q: number): number {
  if (scratch.length === 0) return Number.NaN;
  const pos = (scratch.length - 1) * q;
  const lo = Math.floor(pos);
  const value = kthSmallest(scratch, lo);
  if (pos === lo) return value;
  // kthSmallest leaves every later position at least as large: the next order statistic is their least.
  let next = Infinity;
  for (let i = lo + 1; i < scratch.length; i++) if (scratch[i] < next) next = scratch[i];
  return value + (next - value) * (pos - lo);
}

/** Pearson correlation over positions where both are finite; 0 when fewer than 3 pairs or no variance. */
export function pearson(x: Float64Array, y: Float64Array): number {
  let n = 0,
    sx = 0,
    sy = 0,
    sxx = 0,
    syy = 0,
    sxy = 0;
  const len = Math.min(x.length, y.length);
  for (let i = 0; i < len; i++) {
    const a = x[i],
      b = y[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    n++;
    sx += a;
    sy += b;
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
  }
  if (n < 3) return 0;
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  if (vx <= 1e-12 * Math.max(1, sxx) || vy <= 1e-12 * Math.max(1, syy)) return 0;
  const r = (sxy - (sx * sy) / n) / Math.sqrt(vx * vy);
  return Math.max(-1, Math.min(1, r));
}

/**
 * Two-proportion z of a share, window (`[1]`) against normal (`[0]`): `hits` out of `all` on each side.
 * The normal share is smoothed by `floor` pseudo-trials (half of them hits), so a few normal trials
 * prove little. 0 without window trials. Positive when the share rose.
 */
export function proportionZ(hits: readonly [number, number], all: readonly [number, number], floor: number): number {
  if (all[1] === 0) return 0;
  const pn = (hits[0] + floor / 2) / (all[0] + floor);
  const pw = hits[1] / all[1];
  const pooled = (hits[0] + hits[1] + floor / 2) / (all[0] + all[1] + floor);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / (all[0] + floor) + 1 / all[1]));
  return se > 0 ? (pw - pn) / se : 0;
}

/**
 * proportionZ with each side's trials (and hits, in proportion) scaled down to at most `cap`: trials of
 * one minute share their causes (load, GC, a neighbour), so 20,000 spans are not 20,000 independent draws.
 */
export function cappedProportionZ(
  hits: readonly [number, number],
  all: readonly [number, number],
  cap: number,
  floor: number,
): number {
  const k0 = Math.min(1, cap / all[0]),
    k1 = Math.min(1, cap / all[1]);
  return proportionZ([hits[0] * k0, hits[1] * k1], [all[0] * k0, all[1] * k1], floor);
}

/**
 * Mann–Whitney rank-sum z of `window` against `normal` (normal approximation, midranks for ties, tie
 * correction): positive when the window's values rank higher. Distribution-free, and it knows how many
 * values each side has, which a z of medians on a robust scale does not. 0 when either side is empty.
 */
export function rankSumZ(normal: Float64Array, window: Float64Array): number {
  const n0 = normal.length,
    n1 = window.length,
    n = n0 + n1;
  if (n0 === 0 || n1 === 0) return 0;
  const all = new Float64Array(n);
  all.set(normal);
  all.set(window, n0);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => all[a] - all[b]);
  let windowRanks = 0,
    ties = 0;
  for (let k = 0; k < n;) {
    let e = k + 1;
    while (e < n && all[order[e]] === all[order[k]]) e++;
    const midrank = (k + 1 + e) / 2,
      t = e - k;
    for (let m = k; m < e; m++) if (order[m] >= n0) windowRanks += midrank;
    ties += t * t * t - t;
    k = e;
  }
  const u = windowRanks - (n1 * (n1 + 1)) / 2;
  const variance = ((n0 * n1) / 12) * (n + 1 - ties / (n * (n - 1)));
  return variance > 0 ? (u - (n0 * n1) / 2) / Math.sqrt(variance) : 0;
}

/** The arithmetic mean (NaN when empty). */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** The middle value (the upper one of an even count; 0 when empty), as the window split takes steps. */
export function upperMedian(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  const copy = Float64Array.from(values);
  // Selection, not a sort: a case's 2 M span starts would take ~0.2 s to sort for one value.
  for (const x of copy) if (Number.isNaN(x)) return copy.sort()[copy.length >> 1];
  return kthSmallest(copy, copy.length >> 1);
}

/**
 * The k-th smallest value (0-based) of `a`, which it reorders: Hoare's selection with a median-of-three
 * pivot, O(n) on average. `a` must hold no NaN; −0 and 0 count as equal (either may be returned).
 */
export function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot: sorted or constant input stays linear.
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
