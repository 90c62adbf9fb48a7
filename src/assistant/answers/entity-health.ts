import { incidentUid, type Incident } from '../../incidents/incident.js';
import type { NodeRecord, Uid } from '../../model/graph.js';
import { ASSISTANT_DEFAULTS, type AssistantContext } from '../context.js';
import { describeNode, nodeTime, toEvidence } from '../describe-node.js';
import type { Reply, ReplySection } from '../reply.js';
import { displayName, siblings } from '../resolve-entity.js';
import { capLines } from './list-lines.js';

/** Anomalies, alerts and open incidents found on one entity and the entities it depends on. */
export interface HealthFindings {
  entity: NodeRecord;
  /** The entity's own uids: it and the workloads of the same name (its Deployment beside its Service). */
  own: Set<Uid>;
  /** The entity, what it calls (within `dependencyHops`) and their pods, entity first. */
  scope: NodeRecord[];
  /** Evidence per scope uid: recent anomalies and firing/recent alerts, newest first. */
  findings: Map<Uid, NodeRecord[]>;
  /** Evidence older than the lookback, counted so the answer can say it exists. */
  older: number;
  incidents: Incident[];
}

/** Collects what is wrong around an entity: its own signals and those of its dependencies (CALLS, out). */
export async function findHealth(ctx: AssistantContext, node: NodeRecord): Promise<HealthFindings> {
  const own = await siblings(ctx.graph, node);
  const deps = await ctx.graph.neighbourhood(
    own.map((n) => n.uid),
    {
      hops: ASSISTANT_DEFAULTS.dependencyHops,
      edges: ['CALLS'],
      direction: 'out',
      maxNodes: 60,
    },
  );
  const members = await ctx.graph.neighbourhood(
    deps.nodes.map((n) => n.uid),
    { hops: 1, edges: ['SELECTS', 'MANAGES'], direction: 'out', maxNodes: 600 },
  );
  const ownIds = new Set(own.map((n) => n.uid));
  const scope = [...own, ...members.nodes.filter((n) => !ownIds.has(n.uid))];
  const scopeIds = new Set(scope.map((n) => n.uid));
  const signals = await ctx.graph.neighbourhood([...scopeIds], {
    hops: 1,
    edges: ['FOUND_ON', 'FIRED_ON'],
    direction: 'in',
    maxNodes: 5_000,
  });
  const byUid = new Map(signals.nodes.map((n) => [n.uid, n]));
  const now = ctx.now();
  const findings = new Map<Uid, NodeRecord[]>();
  let older = 0;
  for (const e of signals.edges) {
    const sig = byUid.get(e.from);
    if (!sig || !scopeIds.has(e.to) || (sig.label !== 'Anomaly' && sig.label !== 'Alert')) continue;
    const t = nodeTime(sig) ?? 0;
    const live =
      sig.label === 'Alert' ? sig.props.status === 'firing' || t >= now - ctx.lookbackMs : t >= now - ctx.lookbackMs;
    if (!live) {
      older++;
      continue;
    }
    const list = findings.get(e.to) ?? [];
    list.push(sig);
    findings.set(e.to, list);
  }
  for (const list of findings.values()) list.sort((a, b) => (nodeTime(b) ?? 0) - (nodeTime(a) ?? 0));
  const open = await ctx.incidents.listOpen(200);
  const incidents = open.filter(
    (i) =>
      i.entities.some((u) => scopeIds.has(u)) ||
      i.suspects.some((s) => scopeIds.has(s.entity)) ||
      (i.entry !== undefined && scopeIds.has(i.entry)),
  );
  return { entity: node, own: ownIds, scope, findings, older, incidents };
}

/** "What is wrong with X" / "why is X slow": its signals, its dependencies' signals, its incidents. */
export async function answerHealth(ctx: AssistantContext, node: NodeRecord): Promise<Reply> {
  const h = await findHealth(ctx, node);
  const now = ctx.now();
  const name = displayName(h.entity);
  const sections: ReplySection[] = [];
  const evidence = [];
  const own = [...h.own]
    .flatMap((u) => h.findings.get(u) ?? [])
    .sort((a, b) => (nodeTime(b) ?? 0) - (nodeTime(a) ?? 0));
  const others = h.scope.filter((n) => !h.own.has(n.uid) && (h.findings.get(n.uid)?.length ?? 0) > 0);
  for (const inc of h.incidents)
    evidence.push({ uid: incidentUid(inc.number), label: 'Incident', summary: `#${inc.number} ${inc.title}` });
  if (h.incidents.length > 0) {
    sections.push({
      heading: 'Open incidents',
      lines: capLines(
        h.incidents.map((i) => {
          const top = i.suspects[0];
          return `#${i.number} ${i.title}${top ? ` — top suspect \`${displayName(top.entity)}\` (score ${top.score.toFixed(2)})` : ''}`;
        }),
      ),
    });
  }
  if (own.length > 0) {
    sections.push({ heading: `On ${name}`, lines: capLines(own.map((n) => describeNode(n, now))) });
    evidence.push(...own.map((n) => toEvidence(n, now)));
  }
  // One section per name: a Service and its Deployment, or a pod, each listed once.
  const byName = new Map<string, { kind: string; list: NodeRecord[] }>();
  for (const dep of others) {
    const key = displayName(dep);
    const entry = byName.get(key) ?? {
      kind: dep.label === 'Pod' ? 'pod' : dep.label === 'Machine' ? 'machine' : 'a dependency',
      list: [],
    };
    entry.list.push(...(h.findings.get(dep.uid) ?? []));
    byName.set(key, entry);
  }
  for (const [depName, { kind, list }] of byName) {
    list.sort((a, b) => (nodeTime(b) ?? 0) - (nodeTime(a) ?? 0));
    sections.push({
      heading: kind === 'a dependency' ? `On ${depName} (a dependency)` : `On ${kind} ${depName}`,
      lines: capLines(list.map((n) => describeNode(n, now))),
    });
    evidence.push(...list.map((n) => toEvidence(n, now)));
  }
  const count = own.length + others.reduce((s, d) => s + (h.findings.get(d.uid)?.length ?? 0), 0);
  const verdict =
    count === 0 && h.incidents.length === 0
      ? `Nothing wrong found on ${name} or the ${h.scope.length - h.own.size} entities it depends on in the last ${Math.round(ctx.lookbackMs / 3_600_000)} h.`
      : `${count} signal${count === 1 ? '' : 's'} on ${name} and its dependencies; ${h.incidents.length} open incident${h.incidents.length === 1 ? '' : 's'} involve${h.incidents.length === 1 ? 's' : ''} them.`;
  sections.unshift({
    lines: [verdict + (h.older > 0 ? ` (${h.older} older signal${h.older === 1 ? '' : 's'} not shown.)` : '')],
  });
  return {
    title: `What is wrong with ${name}`,
    sections,
    evidence,
    actions: [
      ...h.incidents.slice(0, 3).map((i) => ({ label: `Incident #${i.number}`, command: `incident ${i.number}` })),
      { label: 'Recent changes', command: `what changed in ${name}` },
      { label: 'Logs', command: `show errors in ${name} logs` },
      { label: 'Dependencies', command: `dependencies of ${name}` },
    ],
    about: { entity: h.entity.uid, ...(h.incidents.length === 1 ? { incident: h.incidents[0].number } : {}) },
  };
}
