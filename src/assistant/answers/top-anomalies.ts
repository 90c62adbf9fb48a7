import type { NodeRecord } from '../../model/graph.js';
import type { AssistantContext } from '../context.js';
import { describeNode, nodeTime, subjectOf, toEvidence } from '../describe-node.js';
import { plural } from '../format.js';
import type { Reply } from '../reply.js';
import { displayName, siblings } from '../resolve-entity.js';
import { describeWindow, type TimeWindow } from '../time-phrases.js';
import { capLines } from './list-lines.js';

const score = (a: NodeRecord) =>
  typeof a.props.score === 'number' && Number.isFinite(a.props.score) ? a.props.score : 0;

/**
 * "Top anomalies (on X) (in the last hour)": anomalies in the window (the lookback by default) —
 * detector findings, log anomalies and the evidence of diagnosed incidents — highest score first,
 * each with its entity, values and units.
 */
export async function answerTopAnomalies(
  ctx: AssistantContext,
  opts: { entity?: NodeRecord; window?: TimeWindow; limit?: number } = {},
): Promise<Reply> {
  const now = ctx.now();
  const limit = opts.limit ?? 10;
  const w = opts.window ?? { from: now - ctx.lookbackMs, to: now, phrase: '' };
  let anomalies: NodeRecord[];
  if (opts.entity) {
    const own = await siblings(ctx.graph, opts.entity);
    const sub = await ctx.graph.neighbourhood(
      own.map((n) => n.uid),
      {
        hops: 2,
        edges: ['FOUND_ON', 'SELECTS', 'MANAGES'],
        direction: 'both',
        maxNodes: 5_000,
      },
    );
    anomalies = sub.nodes.filter((n) => n.label === 'Anomaly');
  } else anomalies = await ctx.graph.findNodes({ label: 'Anomaly', limit: 100_000 });
  const recent = anomalies.filter((a) => {
    const t = nodeTime(a) ?? 0;
    return t >= w.from && t <= w.to + 60_000;
  });
  recent.sort((a, b) => score(b) - score(a) || (nodeTime(b) ?? 0) - (nodeTime(a) ?? 0));
  const top = recent.slice(0, limit);
  const period = describeWindow(w, now);
  const where = opts.entity ? ` on ${displayName(opts.entity)}` : '';
  const older = anomalies.length - recent.length;
  return {
    title: recent.length === 0 ? `No anomalies${where} in ${period}` : `Top anomalies${where} in ${period}`,
    sections: [
      {
        lines:
          top.length === 0
            ? [
                `No anomaly${where} in ${period}${older > 0 ? ` (${plural(older, 'other')} in the graph are outside it)` : ''}.`,
              ]
            : capLines(
                top.map((a, i) => `${i + 1}. ${describeNode(a, now)}`),
                limit,
                `${plural(recent.length, 'anomaly', 'anomalies')} in ${period}`,
              ),
      },
    ],
    evidence: top.map((a) => toEvidence(a, now)),
    actions: [...new Set(top.map(subjectOf).filter((e): e is string => e !== undefined))]
      .slice(0, 3)
      .map((e) => ({ label: `What is wrong with ${e}`, command: `what is wrong with ${e}` })),
    ...(opts.entity ? { about: { entity: opts.entity.uid } } : {}),
  };
}
