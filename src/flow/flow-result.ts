/** What every flow job returns, and the follow-up jobs a finished job asks the runner to enqueue. */
import type { NotifyJobInput } from './notify-job.js';
import type { RcaJobInput } from './rca-job.js';

/** A job that a finished job asks the runner to enqueue (content-derived ids make repeats no-ops). */
export type FollowUp = { queue: 'rca'; data: RcaJobInput } | { queue: 'notify'; data: NotifyJobInput };

/** What every flow job returns: a JSON-safe summary plus its follow-ups. */
export interface FlowResult<S = Record<string, unknown>> {
  summary: S;
  next: FollowUp[];
}
