import type { AssistantContext } from '../context.js';
import type { Reply } from '../reply.js';
import { displayName, resolveEntity } from '../resolve-entity.js';
import { capLines } from './list-lines.js';

/** Dependencies (`out`: what X calls) or dependents (`in`: what calls X) over `CALLS`, one hop, with call stats. */
export async function answerDependencies(
  ctx: AssistantContext,
  entityName: string,
  direction: 'out' | 'in',
): Promise<Reply> {
  const { node } = await resolveEntity(ctx.graph, entityName);
  const sub = await ctx.graph.neighbourhood([node.uid], { hops: 1, edges: ['CALLS'], direction, maxNodes: 1_000 });
  const edges = sub.edges.filter((e) => (direction === 'out' ? e.from === node.uid : e.to === node.uid));
  const names = new Map(sub.nodes.map((n) => [n.uid, displayName(n)]));
  const stat = (p: Record<string, unknown>) => {
    const parts = [
      p.count !== undefined ? `${p.count} calls` : '',
      p.errors !== undefined ? `${p.errors} errors` : '',
      p.p99 !== undefined ? `p99 ${p.p99} ms` : '',
    ];
    return parts.filter(Boolean).join(', ');
  };
  const lines = edges
    .map((e) => {
      const other = direction === 'out' ? e.to : e.from;
      const s = stat(e.props);
      return `\`${names.get(other) ?? displayName(other)}\`${s ? ` (${s})` : ''}`;
    })
    .sort();
  const name = displayName(node);
  const what = direction === 'out' ? 'calls' : 'is called by';
  return {
    title: direction === 'out' ? `Dependencies of ${name}` : `Dependents of ${name}`,
    sections: [
      {
        lines:
          lines.length === 0
            ? [`${name} ${what} nothing in the graph.`]
            : [`${name} ${what} ${lines.length}:`, ...capLines(lines, 25)],
      },
    ],
    evidence: edges.map((e) => ({
      uid: `${e.from}->${e.to}`,
      label: 'CALLS',
      summary: `${names.get(e.from) ?? e.from} calls ${names.get(e.to) ?? e.to}`,
    })),
    actions: [
      {
        label: direction === 'out' ? `Dependents of ${name}` : `Dependencies of ${name}`,
        command: direction === 'out' ? `dependents of ${name}` : `dependencies of ${name}`,
      },
    ],
  };
}
