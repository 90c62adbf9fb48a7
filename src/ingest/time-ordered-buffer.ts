/**
 * A bounded in-memory buffer of records kept in time order, oldest dropped first beyond `capacity`:
 * the embedded default's store of recent spans and log lines. Records arrive mostly in order (a batch
 * is recent but unsorted within itself), so a batch is sorted alone and merged into the few kept
 * records after its first; dropping moves a head index, and the arrays are cut only now and then.
 */
export class TimeOrderedBuffer<T> {
  private records: T[] = [];
  /** Each record's time, beside it: searches and merges read numbers, not records. */
  private times: number[] = [];
  /** Records before `head` were dropped; they are cut off in one go when they outnumber the kept ones. */
  private head = 0;

  constructor(
    private readonly timeOf: (record: T) => number,
    private readonly capacity: number,
  ) {}

  /** Appends records (any order); keeps the `capacity` latest. */
  append(batch: readonly T[]): void {
    if (batch.length === 0) return;
    let records = batch;
    let times = batch.map(this.timeOf);
    if (!ascending(times)) {
      const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
      records = order.map((i) => batch[i]);
      times = order.map((i) => times[i]);
    }
    const n = this.times.length;
    if (n === this.head || times[0] >= this.times[n - 1]) {
      for (let j = 0; j < times.length; j++) {
        this.records.push(records[j]);
        this.times.push(times[j]);
      }
    } else {
      const from = this.firstAtOrAfter(times[0]);
      const tailRecords = this.records.splice(from);
      const tailTimes = this.times.splice(from);
      let i = 0,
        j = 0;
      while (i < tailTimes.length || j < times.length) {
        if (j >= times.length || (i < tailTimes.length && tailTimes[i] <= times[j])) {
          this.records.push(tailRecords[i]);
          this.times.push(tailTimes[i++]);
        } else {
          this.records.push(records[j]);
          this.times.push(times[j++]);
        }
      }
    }
    if (this.times.length - this.head > this.capacity) this.head = this.times.length - this.capacity;
    // The arrays hold up to twice `capacity` between cuts: no copy of them per append.
    if (this.head > this.capacity) {
      this.records = this.records.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /** The kept records with from ≤ time < to, in time order. */
  range(from: number, to: number): T[] {
    return this.records.slice(this.firstAtOrAfter(from), this.firstAtOrAfter(to));
  }

  /** Records kept (at most `capacity`). */
  get size(): number {
    return this.times.length - this.head;
  }

  /** Index of the first kept record with time ≥ t (binary search). */
  private firstAtOrAfter(t: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function ascending(times: number[]): boolean {
  for (let i = 1; i < times.length; i++) if (times[i] < times[i - 1]) return false;
  return true;
}
