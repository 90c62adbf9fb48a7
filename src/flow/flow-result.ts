/** What every flow job returns, and the follow-up jobs a finished job asks the runner to enqueue. */
import type { NotifyFollowUp } from './notify-job.js';
import type { RcaFollowUp } from './rca-job.js';

/** A job that a finished job asks the runner to enqueue (content-derived ids make repeats no-ops). */
export type FollowUp = RcaFollowUp | NotifyFollowUp;

/**
 * What every flow job returns: a JSON-safe summary plus its follow-ups. The rca and notify jobs spell
 * this shape out themselves (their follow-ups are each other's), so no import cycle forms.
 */
export interface FlowResult<S = Record<string, unknown>> {
  summary: S;
  next: FollowUp[];
}
