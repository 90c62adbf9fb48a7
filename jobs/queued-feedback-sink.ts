import { userMessage } from '../src/errors.js';
import type { FeedbackInput, FeedbackSink } from '../src/incidents/feedback.js';
import type { JobRunner } from './job-runner.js';

/**
 * The FeedbackSink bots use: validates the verdict and enqueues it on the feedback queue, where
 * runFeedbackJob stores it and reweights the RCA. The same verdict twice is one job.
 */
export class QueuedFeedbackSink implements FeedbackSink {
  constructor(private readonly runner: Pick<JobRunner, 'enqueue'>) {}

  async submit(f: FeedbackInput): Promise<{ stored: boolean; message: string }> {
    try {
      await this.runner.enqueue('feedback', f);
      const what = f.verdict === 'root-cause' ? 'confirmed as the root cause' : 'marked as not the root cause';
      return { stored: true, message: `Thanks: ${f.entity} ${what} for incident ${f.incident}; the ranking learns from it.` };
    } catch (err) {
      return { stored: false, message: `Feedback not recorded: ${userMessage(err)}` };
    }
  }
}
