import { acknowledgeFeedback } from '../src/assistant/feedback-ack.js';
import { userMessage } from '../src/errors.js';
import type { FeedbackInput } from '../src/incidents/feedback.js';
import type { FeedbackSink } from '../src/ports/feedback-sink.js';
import type { JobRunner } from '../src/ports/job-runner.js';

/**
 * The FeedbackSink bots use: validates the verdict and enqueues it on the feedback queue, where
 * runFeedbackJob stores it and reweights the RCA. The same verdict twice is one job.
 */
export class QueuedFeedbackSink implements FeedbackSink {
  constructor(private readonly runner: Pick<JobRunner, 'enqueue'>) {}

  async submit(f: FeedbackInput): Promise<{ stored: boolean; message: string }> {
    try {
      await this.runner.enqueue('feedback', f);
      return { stored: true, message: `${acknowledgeFeedback(f)} The ranking learns from it.` };
    } catch (err) {
      return { stored: false, message: `Feedback not recorded: ${userMessage(err)}` };
    }
  }
}
