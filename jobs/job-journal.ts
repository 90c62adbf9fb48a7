/**
 * The in-process runner's durable queue: a job is written here before `enqueue` returns and removed
 * once it has finished, so jobs accepted by the embedded default (an Alertmanager webhook handed to the
 * compress job, an RCA follow-up) run after a crash or restart instead of vanishing with the process.
 * LMDB groups the writes of one event-loop turn into one commit.
 */
import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { QueueName } from '../src/flow/queues.js';

/** A job as kept: enough to enqueue it again. */
export interface JournaledJob {
  queue: QueueName;
  id: string;
  data: unknown;
  createdAt: number;
}

export class JobJournal {
  private constructor(
    private readonly root: RootDatabase,
    private readonly db: Database<JournaledJob, string>,
  ) {}

  /** Opens (or creates) the journal in `dir/jobs`. */
  static open(dir: string): JobJournal {
    mkdirSync(`${dir}/jobs`, { recursive: true });
    // noSync: committed to the OS before acknowledged, which survives a crash of this process.
    const root = open({ path: `${dir}/jobs`, compression: false, noSync: true });
    return new JobJournal(root, root.openDB<JournaledJob, string>({ name: 'pending' }));
  }

  /** Resolves once the job is committed. */
  async add(job: JournaledJob): Promise<void> {
    await this.db.put(`${job.queue}/${job.id}`, job);
  }

  /** Forgets a finished job (not awaited by callers: at worst a finished job runs once more, and jobs are idempotent). */
  remove(queue: QueueName, id: string): void {
    void this.db.remove(`${queue}/${id}`);
  }

  /** Jobs not finished when the journal was last open, oldest first. */
  pending(): JournaledJob[] {
    return [...this.db.getRange()].map((e) => e.value).sort((a, b) => a.createdAt - b.createdAt);
  }

  async close(): Promise<void> {
    await this.db.flushed;
    await this.root.close();
  }
}
