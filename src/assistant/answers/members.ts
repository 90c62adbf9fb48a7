import type { NodeRecord } from '../../model/graph.js';
import { labelsOf } from '../../model/label-strings.js';
import type { AssistantContext } from '../context.js';
import { nodeTime } from '../describe-node.js';
import { plural } from '../format.js';
import type { Reply } from '../reply.js';
import { displayName } from '../resolve-entity.js';
import { capLines } from './list-lines.js';

/**
 * "And its pods?" / "where does X run": the pods a service or workload selects or manages, each with
 * its phase, the machine it runs on and the alerts and anomalies on it in the lookback. For a pod,
 * the pod itself.
 */
export async function answerMembers(ctx: AssistantContext, node: NodeRecord): Promise<Reply> {
  const now = ctx.now();
  const name = displayName(node);
  let pods: NodeRecord[];
  if (node.label === 'Pod') pods = [node];
  else {
    const sub = await ctx.graph.neighbourhood([node.uid], {
      hops: 2,
      edges: ['SELECTS', 'MANAGES'],
      direction: 'out',
      maxNodes: 1_000,
    });
    pods = sub.nodes.filter((n) => n.label === 'Pod');
  }
  const around = pods.length
    ? await ctx.graph.neighbourhood(
        pods.map((p) => p.uid),
        { hops: 1, edges: ['RUNS_ON', 'FIRED_ON', 'FOUND_ON'], direction: 'both', maxNodes: 5_000 },
      )
    : { nodes: [], edges: [] };
  const byUid = new Map(around.nodes.map((n) => [n.uid, n]));
  const lines = pods
    .sort((a, b) => displayName(a).localeCompare(displayName(b)))
    .map((p) => {
      const machine = around.edges.find((e) => e.type === 'RUNS_ON' && e.from === p.uid)?.to;
      const signals = around.edges
        .filter((e) => (e.type === 'FIRED_ON' || e.type === 'FOUND_ON') && e.to === p.uid)
        .map((e) => byUid.get(e.from))
        .filter((s): s is NodeRecord => s !== undefined && (nodeTime(s) ?? 0) >= now - ctx.lookbackMs);
      const firing = [
        ...new Set(
          signals.filter((s) => s.label === 'Alert' && s.props.status === 'firing').map((s) => String(s.props.name)),
        ),
      ];
      const anomalies = signals.filter((s) => s.label === 'Anomaly').length;
      const phase = typeof p.props.phase === 'string' ? p.props.phase : 'phase unknown';
      const app = labelsOf(p.props.labels).app;
      return `\`${displayName(p)}\` — ${phase}${machine ? `, on \`${displayName(machine)}\`` : ''}${app && app !== name ? `, app ${app}` : ''}${firing.length ? `, firing: ${firing.join(', ')}` : ''}${anomalies ? `, ${plural(anomalies, 'anomaly', 'anomalies')}` : ''}`;
    });
  return {
    title: node.label === 'Pod' ? `Pod ${name}` : `Pods of ${name}: ${pods.length}`,
    sections: [
      {
        lines: lines.length
          ? capLines(lines, 25)
          : [`No pod is known to belong to ${name} (no SELECTS or MANAGES edges from it in the graph).`],
      },
    ],
    evidence: pods.slice(0, 25).map((p, i) => ({ uid: p.uid, label: 'Pod', summary: lines[i] })),
    actions: pods
      .slice(0, 3)
      .map((p) => ({ label: `What is wrong with ${displayName(p)}`, command: `what is wrong with ${displayName(p)}` })),
    about: { entity: node.uid },
  };
}
