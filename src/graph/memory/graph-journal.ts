/**
 * The embedded graph's write-ahead journal: every change to the in-memory graph is appended here,
 * and the change is acknowledged only once the journal has committed it, so a crash (even SIGKILL)
 * of this process loses nothing that was acknowledged. LMDB (through the `lmdb` package) groups the appends of one
 * event-loop turn into one transaction: group commit without a hand-made file format. A snapshot
 * (graph.json) records the last sequence number it holds; the journal keeps only what came after.
 */
import { open, type Database, type RootDatabase } from 'lmdb';
import type { EdgeRecord, GraphBatch, Uid } from '../../model/graph.js';
import type { ExpireOptions } from '../graph-store.js';

/** One change, as the store applies it (times resolved, so replaying it gives the same graph). */
export type JournalEntry =
  | { t: 'upsert'; batch: GraphBatch & { observedAt: number } }
  | { t: 'deleteNodes'; uids: Uid[] }
  | { t: 'deleteEdges'; edges: Array<Pick<EdgeRecord, 'type' | 'from' | 'to'>> }
  | { t: 'expire'; opts: ExpireOptions }
  | { t: 'sequence'; name: string; value: number };

export class GraphJournal {
  private last = 0;

  private constructor(
    private readonly root: RootDatabase,
    private readonly db: Database<JournalEntry, number>,
  ) {
    for (const key of db.getKeys({ reverse: true, limit: 1 })) this.last = key as number;
  }

  /** Opens (or creates) the journal in `dir/journal`. */
  static open(dir: string): GraphJournal {
    // noSync: a commit is in the OS's hands before it is acknowledged, which survives a crash of this
    // process (SIGKILL, OOM); only a power loss or kernel crash can take the last moments (no fsync).
    const root = open({ path: `${dir}/journal`, compression: false, noSync: true });
    return new GraphJournal(root, root.openDB<JournalEntry, number>({ name: 'entries' }));
  }

  /**
   * Numbers the next append after `seq` at least: a snapshot may hold (and have truncated) entries up
   * to `seq`, and an append numbered below it would be skipped when that snapshot is loaded again.
   */
  continueAfter(seq: number): void {
    this.last = Math.max(this.last, seq);
  }

  /** The highest sequence number appended so far (0 when empty). */
  get lastSeq(): number {
    return this.last;
  }

  /** Appends `entry` with the next sequence number; resolves once it is committed. */
  async append(entry: JournalEntry): Promise<number> {
    const seq = ++this.last;
    await this.db.put(seq, entry);
    return seq;
  }

  /** Entries after `seq`, oldest first. */
  *after(seq: number): Iterable<JournalEntry> {
    for (const { value } of this.db.getRange({ start: seq + 1 })) yield value;
  }

  /** Drops the entries up to and including `seq` (a snapshot holds them now). */
  async truncate(seq: number): Promise<void> {
    await this.db.flushed;
    await this.db.transaction(() => {
      for (const key of this.db.getKeys({ end: seq + 1 })) void this.db.remove(key as number);
    });
  }

  async close(): Promise<void> {
    await this.db.flushed;
    await this.root.close();
  }
}
