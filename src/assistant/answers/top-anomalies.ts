import type { AssistantContext } from '../context.js';
import { describeNode, nodeTime, toEvidence } from '../describe-node.js';
import type { Reply } from '../reply.js';
import { displayName } from '../resolve-entity.js';
import { capLines } from './list-lines.js';

/** "Top anomalies now": anomalies seen within the lookback, highest score first, with their entity. */
export async function answerTopAnomalies(ctx: AssistantContext, limit = 10): Promise<Reply> {
  const now = ctx.now();
  const anomalies = await ctx.graph.findNodes({ label: 'Anomaly', limit: 100_000 });
  const recent = anomalies.filter((a) => (nodeTime(a) ?? 0) >= now - ctx.lookbackMs);
  const score = (a: (typeof anomalies)[number]) => (typeof a.props.score === 'number' ? a.props.score : 0);
  recent.sort((a, b) => score(b) - score(a) || (nodeTime(b) ?? 0) - (nodeTime(a) ?? 0));
  const top = recent.slice(0, limit);
  const on = (a: (typeof anomalies)[number]) => String(a.props.entity ?? a.props.service ?? '?');
  const hours = Math.round(ctx.lookbackMs / 3_600_000);
  return {
    title: 'Top anomalies now',
    sections: [
      {
        lines:
          top.length === 0
            ? [
                `No anomaly in the last ${hours} h${anomalies.length > 0 ? ` (${anomalies.length} older ones are in the graph)` : ''}.`,
              ]
            : capLines(
                top.map((a, i) => `${i + 1}. *${on(a)}* ${describeNode(a, now)}`),
                limit,
                `${recent.length} in the last ${hours} h`,
              ),
      },
    ],
    evidence: top.map((a) => toEvidence(a, now)),
    actions: [...new Set(top.map(on))]
      .slice(0, 3)
      .map((e) => ({ label: `What is wrong with ${displayName(e)}`, command: `what is wrong with ${displayName(e)}` })),
  };
}
