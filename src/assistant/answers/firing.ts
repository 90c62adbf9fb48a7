import type { NodeRecord } from '../../model/graph.js';
import type { AssistantContext } from '../context.js';
import { nodeTime, toEvidence } from '../describe-node.js';
import { plural } from '../format.js';
import type { Reply } from '../reply.js';
import { displayName } from '../resolve-entity.js';
import { describeWindow, formatAge, type TimeWindow } from '../time-phrases.js';
import { capLines } from './list-lines.js';

/**
 * "What is firing": every alert firing now, cluster-wide, folded by alert name — how many, on what, how
 * severe, since when, and which open incident holds it. With a time ("what fired in the last hour"),
 * the alerts that started in that window, firing or resolved since.
 */
export async function answerFiring(ctx: AssistantContext, window?: TimeWindow): Promise<Reply> {
  const now = ctx.now();
  const all = await ctx.graph.findNodes({ label: 'Alert', limit: 100_000 });
  const chosen = window
    ? all.filter((a) => {
        const t = nodeTime(a) ?? 0;
        return t >= window.from && t <= window.to;
      })
    : all.filter((a) => a.props.status === 'firing');
  const on = await entityNames(ctx, chosen);
  const open = await ctx.incidents.listOpen(500);
  const holder = new Map<string, number>();
  for (const i of open) for (const fp of i.alertFingerprints) if (!holder.has(fp)) holder.set(fp, i.number);
  const groups = new Map<string, NodeRecord[]>();
  for (const a of chosen) {
    const name = String(a.props.name || 'unnamed alert');
    groups.set(name, [...(groups.get(name) ?? []), a]);
  }
  const rankSeverity = (s: unknown) => ['critical', 'error', 'warning', 'info'].indexOf(String(s)) + 1 || 9;
  const lines = [...groups.entries()]
    .map(([name, list]) => {
      const firing = list.filter((a) => a.props.status === 'firing').length;
      const severity = list.map((a) => a.props.severity).sort((x, y) => rankSeverity(x) - rankSeverity(y))[0];
      const entities = [...new Set(list.map((a) => on.get(a.uid)).filter((e): e is string => e !== undefined))];
      const since = Math.min(...list.map((a) => nodeTime(a) ?? now));
      const incidents = [
        ...new Set(list.map((a) => holder.get(String(a.props.fingerprint))).filter((n) => n !== undefined)),
      ];
      const text = `\`${name}\` ×${list.length}${window ? ` (${firing} still firing)` : ''}${severity ? ` [${String(severity)}]` : ''} on ${entities.length ? entities.map((e) => `\`${e}\``).join(', ') : 'no known entity'} — since ${formatAge(now - since)} ago${incidents.length ? `, in incident ${incidents.map((n) => `#${n}`).join(', ')}` : ', in no incident'}`;
      return { text, firing, severity: rankSeverity(severity) };
    })
    .sort((a, b) => a.severity - b.severity || b.firing - a.firing);
  const title = window
    ? `${plural(chosen.length, 'alert')} fired in ${describeWindow(window, now)}`
    : chosen.length === 0
      ? 'Nothing is firing'
      : `${plural(chosen.length, 'alert')} firing (${plural(groups.size, 'rule')})`;
  return {
    title,
    sections: [
      {
        lines:
          lines.length === 0
            ? [window ? 'No alert started in that window.' : 'No alert is firing in the graph right now.']
            : capLines(lines.map((l) => l.text)),
      },
    ],
    evidence: chosen.slice(0, 30).map((a) => toEvidence(a, now)),
    actions: [
      ...[...new Set(holder.values())].slice(0, 2).map((n) => ({ label: `Incident #${n}`, command: `incident ${n}` })),
      { label: 'Watch items', command: 'watch items' },
    ],
  };
}

/** The name of the entity each alert fired on (its FIRED_ON neighbour). */
export async function entityNames(ctx: AssistantContext, alerts: readonly NodeRecord[]): Promise<Map<string, string>> {
  if (alerts.length === 0) return new Map();
  const sub = await ctx.graph.neighbourhood(
    alerts.map((a) => a.uid),
    { hops: 1, edges: ['FIRED_ON'], direction: 'out' },
  );
  const name = new Map(sub.nodes.map((n) => [n.uid, displayName(n)]));
  return new Map(
    sub.edges.filter((e) => e.type === 'FIRED_ON').map((e) => [e.from, name.get(e.to) ?? displayName(e.to)]),
  );
}
