import { z } from 'zod';
import type { GraphStore } from '../graph/graph-store.js';
import { uid } from '../model/uid.js';
import { incidentUid } from './incident.js';

/**
 * An engineer's verdict on one incident's candidate, from any transport: `entity` as the incident's
 * suspects name it, `by` who said it (Slack user id, CLI user), `at` ms since epoch.
 */
export const FeedbackInputSchema = z.object({
  incident: z.number().int().positive(),
  entity: z.string().min(1),
  verdict: z.enum(['root-cause', 'not-root-cause']),
  by: z.string().min(1),
  source: z.enum(['button', 'reaction', 'menu', 'cli', 'chat']),
  at: z.number().int().nonnegative(),
});
export type FeedbackInput = z.infer<typeof FeedbackInputSchema>;

/**
 * Stores a `Feedback` node `ABOUT` its incident. Idempotent: the same person giving the same verdict
 * on the same candidate is one node (a re-delivered click or reaction counts once).
 */
export async function recordFeedback(graph: GraphStore, f: FeedbackInput): Promise<{ stored: boolean; uid: string }> {
  const id = uid('Feedback', f.incident, f.entity, f.by);
  const report = await graph.upsert({
    observedAt: f.at,
    nodes: [
      {
        label: 'Feedback',
        uid: id,
        props: { incident: f.incident, entity: f.entity, verdict: f.verdict, by: f.by, source: f.source, at: f.at },
      },
    ],
    edges: [{ type: 'ABOUT', from: id, to: incidentUid(f.incident), props: {} }],
  });
  return { stored: report.rejected.length === 0, uid: id };
}
