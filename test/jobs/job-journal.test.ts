import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InProcessRunner } from '../../jobs/in-process-runner.js';
import { JobJournal } from '../../jobs/job-journal.js';
import { waitFor } from './flow-fixture.js';

const batch = (source: string) => ({ source, batch: { nodes: [], edges: [] } });

describe('InProcessRunner with a JobJournal', () => {
  it('runs jobs accepted before a restart once the next process starts, and forgets finished ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-jobs-'));
    // First process: accepts two jobs but has no processor for them yet, then goes away.
    const first = new InProcessRunner({ journal: JobJournal.open(dir) });
    const a = await first.enqueue('ingest', batch('a'));
    const b = await first.enqueue('ingest', batch('b'));
    await first.close();

    const second = new InProcessRunner({ journal: JobJournal.open(dir) });
    expect((await second.job('ingest', a))?.state).toBe('waiting');
    const ran: string[] = [];
    second.process('ingest', async (data) => void ran.push(data.source));
    await second.drained();
    expect(ran.sort()).toEqual(['a', 'b']);
    expect((await second.job('ingest', b))?.state).toBe('completed');
    await second.close();

    const third = new InProcessRunner({ journal: JobJournal.open(dir) });
    expect(await third.stats(['ingest'])).toMatchObject([{ waiting: 0, active: 0 }]);
    await third.close();
  });

  it('keeps a job whose payload this version refuses as failed, with the reason, instead of losing it silently', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-jobs-'));
    const journal = JobJournal.open(dir);
    await journal.add({ queue: 'ingest', id: 'old', data: { source: 7 }, createdAt: 1 });
    await journal.close();
    const runner = new InProcessRunner({ journal: JobJournal.open(dir) });
    const job = await waitFor(async () => runner.job('ingest', 'old'), 1_000, 'the old job');
    expect(job).toMatchObject({ state: 'failed' });
    expect(job.failedReason).toMatch(/source/);
    await runner.close();
  });

  it('does not journal the runs of a schedule (the schedule fires again after a restart)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-jobs-'));
    const runner = new InProcessRunner({ journal: JobJournal.open(dir) });
    await runner.schedule('ingest', 'every-hour', 3_600_000, batch('tick'));
    await runner.close();
    const journal = JobJournal.open(dir);
    expect(journal.pending()).toEqual([]);
    await journal.close();
  });
});
