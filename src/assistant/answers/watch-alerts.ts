import type { AssistantContext } from '../context.js';
import { describeNode, nodeTime, toEvidence } from '../describe-node.js';
import type { Reply } from '../reply.js';
import { entityNames } from './firing.js';
import { capLines } from './list-lines.js';

/**
 * "Watch items": alerts firing within the lookback that no open incident holds — the lone warnings
 * alert compression keeps aside (src/alerts/actionable.ts) until a second alert joins them or one
 * turns critical. Newest first, each with the entity it fired on.
 */
export async function answerWatchAlerts(ctx: AssistantContext, limit = 20): Promise<Reply> {
  const now = ctx.now();
  const held = new Set((await ctx.incidents.listOpen(500)).flatMap((i) => i.alertFingerprints));
  const firing = await ctx.graph.findNodes({ label: 'Alert', where: { status: 'firing' }, limit: 100_000 });
  const watch = firing
    .filter((a) => !held.has(String(a.props.fingerprint)) && (nodeTime(a) ?? 0) >= now - ctx.lookbackMs)
    .sort((a, b) => (nodeTime(b) ?? 0) - (nodeTime(a) ?? 0));
  const entities = await entityNames(ctx, watch);
  const hours = Math.round(ctx.lookbackMs / 3_600_000);
  return {
    title: watch.length === 0 ? 'No watch items' : `${watch.length} watch item${watch.length === 1 ? '' : 's'}`,
    sections: [
      {
        lines:
          watch.length === 0
            ? [`Every alert firing in the last ${hours} h belongs to an open incident.`]
            : capLines(
                watch
                  .slice(0, limit)
                  .map((a) => `*${entities.get(a.uid) ?? 'no known entity'}* ${describeNode(a, now)}`),
                limit,
                `${watch.length} firing outside incidents`,
              ),
      },
    ],
    evidence: watch.slice(0, limit).map((a) => toEvidence(a, now)),
    actions: [...new Set(watch.map((a) => entities.get(a.uid)).filter((e): e is string => e !== undefined))]
      .slice(0, 3)
      .map((e) => ({ label: `What is wrong with ${e}`, command: `what is wrong with ${e}` })),
  };
}
