import type { NodeRecord } from '../../model/graph.js';
import { ASSISTANT_DEFAULTS, type AssistantContext } from '../context.js';
import { describeNode, nodeTime, subjectOf, toEvidence } from '../describe-node.js';
import { plural } from '../format.js';
import type { Reply } from '../reply.js';
import { displayName, siblings } from '../resolve-entity.js';
import { describeWindow, type TimeWindow } from '../time-phrases.js';
import { capLines } from './list-lines.js';

function windowOf(ctx: AssistantContext, asked?: TimeWindow): TimeWindow {
  const now = ctx.now();
  return asked ?? { from: now - ASSISTANT_DEFAULTS.changesLookbackMs, to: now, phrase: '' };
}

const inWindow = (w: TimeWindow) => (n: NodeRecord) => {
  const t = nodeTime(n) ?? 0;
  return t >= w.from && t <= w.to + 60_000;
};

/**
 * "What changed in X (in the last hour)": `Change` nodes with `CHANGED` into X or the pods and workloads
 * it selects or manages, newest first. Without a time, the last day.
 */
export async function answerChanges(ctx: AssistantContext, node: NodeRecord, asked?: TimeWindow): Promise<Reply> {
  const now = ctx.now();
  const w = windowOf(ctx, asked);
  const own = await siblings(ctx.graph, node);
  const members = await ctx.graph.neighbourhood(
    own.map((n) => n.uid),
    { hops: 1, edges: ['SELECTS', 'MANAGES'], direction: 'out', maxNodes: 500 },
  );
  const sub = await ctx.graph.neighbourhood(
    members.nodes.map((n) => n.uid),
    { hops: 1, edges: ['CHANGED'], direction: 'in', maxNodes: 5_000 },
  );
  const all = sub.nodes.filter((n) => n.label === 'Change');
  const hits = all.filter(inWindow(w)).sort((a, b) => (nodeTime(b) ?? 0) - (nodeTime(a) ?? 0));
  const name = displayName(node);
  const period = describeWindow(w, now);
  const names = new Map(members.nodes.map((n) => [n.uid, displayName(n)]));
  const lines = hits.map((c) => {
    const target = sub.edges.find((e) => e.from === c.uid)?.to;
    const on = target ? (names.get(target) ?? displayName(target)) : undefined;
    return `${describeNode(c, now)}${on && on !== name ? ` — on \`${on}\`` : ''}`;
  });
  const older = all.filter((c) => (nodeTime(c) ?? 0) < w.from).length;
  return {
    title: `What changed in ${name} in ${period}`,
    sections: [
      {
        lines:
          hits.length === 0
            ? [
                `No recorded change (rollout, image, replicas, config) to ${name} or its workloads in ${period}.${older > 0 ? ` ${plural(older, 'older change')} exist; ask "what changed in ${name} in the last 30 days".` : ''}`,
              ]
            : capLines(lines),
      },
    ],
    evidence: hits.map((c) => toEvidence(c, now)),
    actions: [{ label: `What is wrong with ${name}`, command: `what is wrong with ${name}` }],
    about: { entity: node.uid },
  };
}

/** "What changed in the last hour", cluster-wide: every recorded change in the window, newest first, with what it touched. */
export async function answerClusterChanges(ctx: AssistantContext, asked?: TimeWindow): Promise<Reply> {
  const now = ctx.now();
  const w = windowOf(ctx, asked);
  const all = await ctx.graph.findNodes({ label: 'Change', limit: 100_000 });
  const hits = all.filter(inWindow(w)).sort((a, b) => (nodeTime(b) ?? 0) - (nodeTime(a) ?? 0));
  const period = describeWindow(w, now);
  const touched = [...new Set(hits.map(subjectOf).filter((e): e is string => e !== undefined))];
  return {
    title: hits.length === 0 ? `No changes in ${period}` : `${plural(hits.length, 'change')} in ${period}`,
    sections: [
      {
        lines:
          hits.length === 0
            ? [
                `No rollout, image, replica or config change was recorded anywhere in ${period}${all.length > 0 ? ` (${plural(all.length, 'change')} in the graph are older)` : ''}. Changes are recorded when Kubernetes manifests are ingested.`,
              ]
            : capLines(
                hits.map((c) => describeNode(c, now)),
                ASSISTANT_DEFAULTS.maxLines,
                `${touched.length} entities changed`,
              ),
      },
    ],
    evidence: hits.slice(0, 20).map((c) => toEvidence(c, now)),
    actions: touched.slice(0, 3).map((e) => ({ label: `What is wrong with ${e}`, command: `what is wrong with ${e}` })),
  };
}
