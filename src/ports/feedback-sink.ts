import type { FeedbackInput } from '../incidents/feedback.js';

/** Receives feedback: stores it and lets the RCA learn from it. */
export interface FeedbackSink {
  submit(f: FeedbackInput): Promise<{ stored: boolean; message: string }>;
}
