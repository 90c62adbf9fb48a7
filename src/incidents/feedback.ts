import type { GraphStore } from '../graph/graph-store.js';
import { uid } from '../model/uid.js';
import { incidentUid } from './incident.js';

/** An engineer's verdict on one incident's candidate, from any transport. */
export interface FeedbackInput {
  incident: number;
  /** The candidate entity as the incident's suspects name it. */
  entity: string;
  verdict: 'root-cause' | 'not-root-cause';
  /** Who said it (Slack user id, CLI user). */
  by: string;
  source: 'button' | 'reaction' | 'menu' | 'cli' | 'chat';
  /** ms since epoch. */
  at: number;
}

/** Receives feedback: stores it and lets the RCA learn from it. */
export interface FeedbackSink {
  submit(f: FeedbackInput): Promise<{ stored: boolean; message: string }>;
}

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
