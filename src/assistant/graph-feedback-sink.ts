import { RootgraphError } from '../errors.js';
import { recordFeedback, type FeedbackInput } from '../incidents/feedback.js';
import type { FeedbackSink } from '../ports/feedback-sink.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { GraphStore } from '../graph/graph-store.js';
import { acknowledgeFeedback } from './feedback-ack.js';
import { displayName } from './resolve-entity.js';

/**
 * A FeedbackSink that stores each verdict as a `Feedback` node ABOUT its incident (recordFeedback),
 * after checking the incident exists. Idempotent per (incident, entity, person). It does not
 * reweight the RCA: the running product uses QueuedFeedbackSink (jobs/), whose feedback job does both.
 */
export class GraphFeedbackSink implements FeedbackSink {
  constructor(
    private readonly graph: GraphStore,
    private readonly incidents: IncidentStore,
  ) {}

  async submit(f: FeedbackInput): Promise<{ stored: boolean; message: string }> {
    const incident = await this.incidents.get(f.incident);
    if (!incident)
      throw new RootgraphError('NOT_FOUND', `There is no incident #${f.incident}.`, {
        hint: 'Ask "list incidents" for the open ones.',
      });
    const { stored } = await recordFeedback(this.graph, f);
    return {
      stored,
      message: stored
        ? acknowledgeFeedback(f)
        : `Could not record feedback on \`${displayName(f.entity)}\` for incident #${f.incident}.`,
    };
  }
}
