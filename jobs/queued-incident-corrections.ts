import type { IncidentCorrections } from '../src/ports/incident-corrections.js';
import type { JobRunner } from '../src/ports/job-runner.js';

/**
 * The IncidentCorrections bots and the CLI use: enqueues a merge or split on the compress queue,
 * whose serial stream applies it to the incidents and teaches the alert correlator (src/incidents/corrections.ts).
 */
export class QueuedIncidentCorrections implements IncidentCorrections {
  constructor(private readonly runner: Pick<JobRunner, 'enqueue'>) {}

  async merge(c: { into: number; from: number; by: string; at: number }): Promise<{ message: string }> {
    await this.runner.enqueue('compress', { correction: { kind: 'merge', ...c } });
    return { message: `Merging incident #${c.from} into #${c.into}; the grouping learns from it.` };
  }

  async split(c: { incident: number; fingerprints: string[]; by: string; at: number }): Promise<{ message: string }> {
    await this.runner.enqueue('compress', { correction: { kind: 'split', ...c } });
    return {
      message: `Splitting ${c.fingerprints.length} alert${c.fingerprints.length === 1 ? '' : 's'} off incident #${c.incident} into a new incident.`,
    };
  }
}
