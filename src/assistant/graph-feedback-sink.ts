import { RootgraphError } from '../errors.js';
import { recordFeedback, type FeedbackInput, type FeedbackSink } from '../incidents/feedback.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { GraphStore } from '../graph/graph-store.js';
import { displayName } from './resolve-entity.js';

/**
 * A FeedbackSink that stores each verdict as a `Feedback` node ABOUT its incident (recordFeedback),
 * after checking the incident exists. Idempotent per (incident, entity, person). The RCA learns
 * from these nodes when it next runs; a sink that also reweights immediately can wrap this one.
 */
export class GraphFeedbackSink implements FeedbackSink {
  constructor(private readonly graph: GraphStore, private readonly incidents: IncidentStore) {}

  async submit(f: FeedbackInput): Promise<{ stored: boolean; message: string }> {
    const incident = await this.incidents.get(f.incident);
    if (!incident) throw new RootgraphError('NOT_FOUND', `There is no incident #${f.incident}.`, { hint: 'Ask "list incidents" for the open ones.' });
    const { stored } = await recordFeedback(this.graph, f);
    const what = f.verdict === 'root-cause' ? 'is the root cause' : 'is not the root cause';
    return {
      stored,
      message: stored
        ? `Recorded: \`${displayName(f.entity)}\` ${what} of incident #${f.incident} (from ${f.by}).`
        : `Could not record feedback on \`${displayName(f.entity)}\` for incident #${f.incident}.`,
    };
  }
}
