import { ASSISTANT_DEFAULTS, type AssistantContext } from '../context.js';
import { describeNode, nodeTime, toEvidence } from '../describe-node.js';
import type { Reply } from '../reply.js';
import { displayName, resolveEntity } from '../resolve-entity.js';
import { formatAge } from '../time-phrases.js';
import { capLines } from './list-lines.js';

/**
 * "What changed in X (since T)": `Change` nodes with `CHANGED` into X or the pods and workloads it
 * selects or manages, newest first. Without T, the last day.
 */
export async function answerChanges(ctx: AssistantContext, entityName: string, since?: number): Promise<Reply> {
  const { node } = await resolveEntity(ctx.graph, entityName);
  const now = ctx.now();
  const from = since ?? now - ASSISTANT_DEFAULTS.changesLookbackMs;
  const members = await ctx.graph.neighbourhood([node.uid], {
    hops: 1,
    edges: ['SELECTS', 'MANAGES'],
    direction: 'out',
    maxNodes: 500,
  });
  const sub = await ctx.graph.neighbourhood(
    members.nodes.map((n) => n.uid),
    { hops: 1, edges: ['CHANGED'], direction: 'in', maxNodes: 5_000 },
  );
  const all = sub.nodes.filter((n) => n.label === 'Change');
  const inWindow = all
    .filter((c) => (nodeTime(c) ?? 0) >= from)
    .sort((a, b) => (nodeTime(b) ?? 0) - (nodeTime(a) ?? 0));
  const name = displayName(node);
  const period = `the last ${formatAge(now - from)}`;
  const lines = inWindow.map((c) => {
    const target = sub.edges.find((e) => e.from === c.uid)?.to;
    return `${describeNode(c, now)}${target && target !== node.uid ? ` — on ${displayName(target)}` : ''}`;
  });
  const older = all.length - inWindow.length;
  return {
    title: `What changed in ${name} in ${period}`,
    sections: [
      {
        lines:
          inWindow.length === 0
            ? [
                `No recorded change to ${name} in ${period}.${older > 0 ? ` ${older} older change${older === 1 ? '' : 's'} exist; ask "what changed in ${name} in the last 30 days".` : ''}`,
              ]
            : capLines(lines),
      },
    ],
    evidence: inWindow.map((c) => toEvidence(c, now)),
    actions: [{ label: `What is wrong with ${name}`, command: `what is wrong with ${name}` }],
  };
}
