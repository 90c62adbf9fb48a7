import type { NodeRecord } from '../../model/graph.js';
import { labelsOf } from '../../model/label-strings.js';
import type { AssistantContext } from '../context.js';
import type { Reply } from '../reply.js';
import { displayName, siblings } from '../resolve-entity.js';

/**
 * "Who owns X": the owner and team labels (ROOTGRAPH_OWNER_LABELS) on the entity, the workloads and pods
 * around it and the alerts fired on it, each with where it was found.
 */
export async function answerOwner(ctx: AssistantContext, node: NodeRecord): Promise<Reply> {
  const name = displayName(node);
  const own = await siblings(ctx.graph, node);
  const around = await ctx.graph.neighbourhood(
    own.map((n) => n.uid),
    { hops: 1, edges: ['SELECTS', 'MANAGES', 'FIRED_ON'], direction: 'both', maxNodes: 500 },
  );
  const found = new Map<string, string[]>();
  for (const n of [node, ...around.nodes.filter((x) => x.uid !== node.uid)]) {
    const labels = labelsOf(n.props.labels);
    for (const key of ctx.ownerLabels) {
      const v = labels[key];
      if (!v) continue;
      const where = `${n.label.toLowerCase()} ${displayName(n)}`;
      found.set(`${key}=${v}`, [...(found.get(`${key}=${v}`) ?? []), where]);
    }
  }
  const lines = [...found.entries()].map(
    ([owner, where]) => `\`${owner}\` (from ${[...new Set(where)].slice(0, 3).join(', ')})`,
  );
  return {
    title: lines.length ? `Owner of ${name}` : `No owner recorded for ${name}`,
    sections: [
      {
        lines: lines.length
          ? lines
          : [
              `None of the labels ${ctx.ownerLabels.map((k) => `\`${k}\``).join(', ')} is set on ${name}, its workloads, pods or alerts.`,
              'Add one to the manifests or alert rules, or set ROOTGRAPH_OWNER_LABELS to the keys you use.',
            ],
      },
    ],
    evidence: [...found.keys()].map((k) => ({ uid: `${node.uid}#${k}`, label: 'Label', summary: `${name}: ${k}` })),
    actions: [{ label: `What is wrong with ${name}`, command: `what is wrong with ${name}` }],
    about: { entity: node.uid },
  };
}
