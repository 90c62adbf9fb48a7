import { z } from 'zod';
import { answerChanges, answerClusterChanges } from '../answers/entity-changes.js';
import { answerHealth } from '../answers/entity-health.js';
import { answerDependencies } from '../answers/dependencies.js';
import { answerFiring } from '../answers/firing.js';
import { answerListIncidents, answerShowIncident, whichIncident } from '../answers/incidents.js';
import { answerLogs } from '../answers/logs.js';
import { answerMetric } from '../answers/metric.js';
import { answerTopAnomalies } from '../answers/top-anomalies.js';
import { answerWhy } from '../answers/why.js';
import type { AssistantContext } from '../context.js';
import { toIncidentCard } from '../incident-card.js';
import type { Question, Reply } from '../reply.js';
import { resolveEntity } from '../resolve-entity.js';

/** A graph query a model may call: the same functions the deterministic intents use. Read-only. */
export interface GraphTool {
  name: string;
  description: string;
  schema: z.ZodObject;
  run(args: Record<string, unknown>): Promise<Reply>;
}

const since = (now: number, minutes: unknown) =>
  typeof minutes === 'number' && minutes > 0 ? { from: now - minutes * 60_000, to: now, phrase: '' } : undefined;

/** The tools a model gets. No Cypher and no writes: free text never reaches the database. */
export function graphTools(ctx: AssistantContext, q: Question): GraphTool[] {
  const entity = z.object({ entity: z.string().describe('service, deployment, pod or machine name') });
  const minutes = z.number().optional().describe('look back this many minutes (default: a sensible window)');
  const node = async (a: Record<string, unknown>) => (await resolveEntity(ctx.graph, String(a.entity))).node;
  return [
    {
      name: 'what_is_wrong',
      description: 'Anomalies, alerts and open incidents on an entity and what it depends on.',
      schema: entity,
      run: async (a) => answerHealth(ctx, await node(a)),
    },
    {
      name: 'what_changed',
      description:
        'Recorded changes (rollouts, images, replicas, config) to an entity, or everywhere when entity is "*".',
      schema: entity.extend({ minutes }),
      run: async (a) =>
        a.entity === '*'
          ? answerClusterChanges(ctx, since(ctx.now(), a.minutes))
          : answerChanges(ctx, await node(a), since(ctx.now(), a.minutes)),
    },
    {
      name: 'dependencies',
      description: 'What an entity calls (out) or what calls it (in), with calls, errors and p99 latency.',
      schema: entity.extend({ direction: z.enum(['out', 'in']) }),
      run: async (a) => answerDependencies(ctx, await node(a), a.direction === 'in' ? 'in' : 'out'),
    },
    {
      name: 'logs',
      description: 'Top log templates of an entity with line and error counts.',
      schema: entity.extend({ errors_only: z.boolean().optional(), minutes }),
      run: async (a) => answerLogs(ctx, await node(a), a.errors_only === true, since(ctx.now(), a.minutes)),
    },
    {
      name: 'metric',
      description: 'A metric of an entity (memory_usage, cpu_usage, latency_p99, error_rate, request_rate, restarts).',
      schema: entity.extend({ metric: z.string(), minutes }),
      run: async (a) => answerMetric(ctx, await node(a), String(a.metric), since(ctx.now(), a.minutes)),
    },
    {
      name: 'firing_alerts',
      description: 'Every alert firing now, by alert name, with entities and incidents.',
      schema: z.object({}),
      run: () => answerFiring(ctx),
    },
    {
      name: 'top_anomalies',
      description: 'The highest-scoring recent anomalies, with entity, values and units.',
      schema: z.object({}),
      run: () => answerTopAnomalies(ctx),
    },
    {
      name: 'list_incidents',
      description: 'Open incidents with their top suspect.',
      schema: z.object({}),
      run: () => answerListIncidents(ctx),
    },
    {
      name: 'show_incident',
      description: 'One incident: impact, ranked suspects with evidence, alerts, changes.',
      schema: z.object({ number: z.number().int() }),
      run: async (a) => answerShowIncident(ctx, await whichIncident(ctx, q, Number(a.number), undefined)),
    },
    {
      name: 'why_incident',
      description: 'Why the top suspect of an incident is ranked first: all its evidence.',
      schema: z.object({ number: z.number().int() }),
      run: async (a) => answerWhy(ctx, await whichIncident(ctx, q, Number(a.number), undefined)),
    },
  ];
}

/** A reply as a tool result for a model: its text and evidence summaries (no uids, which people must not see). */
export function replyAsToolResult(r: Reply): string {
  const lines = [r.title, ...r.sections.flatMap((s) => [...(s.heading ? [s.heading] : []), ...s.lines])];
  if (r.incident) {
    const card = toIncidentCard(r.incident, r.cardContext);
    lines.push(
      ...card.impact.map((l) => `impact: ${l}`),
      ...card.candidates
        .slice(0, 10)
        .map((c) => `suspect ${c.rank}: ${c.name} score ${c.score.toFixed(2)} — ${c.evidence}`),
      ...card.alertGroups.map((g) => `alert ${g.name} ×${g.count} (${g.firing} firing) on ${g.entities.join(', ')}`),
    );
  }
  lines.push(...r.evidence.map((e) => `evidence: ${e.summary}`));
  return lines.join('\n').slice(0, 6_000);
}
