import { z } from 'zod';
import { answerChanges } from '../answers/entity-changes.js';
import { answerHealth } from '../answers/entity-health.js';
import { answerDependencies } from '../answers/dependencies.js';
import { answerListIncidents, answerShowIncident } from '../answers/incidents.js';
import { answerTopAnomalies } from '../answers/top-anomalies.js';
import type { AssistantContext } from '../context.js';
import type { Reply } from '../reply.js';

/** A graph query a model may call: the same functions the deterministic intents use. Read-only. */
export interface GraphTool {
  name: string;
  description: string;
  schema: z.ZodObject;
  run(args: Record<string, unknown>): Promise<Reply>;
}

/** The tools a model gets. No Cypher: free text never reaches the database. */
export function graphTools(ctx: AssistantContext): GraphTool[] {
  const entity = z.object({ entity: z.string().describe('service, deployment, pod or machine name') });
  return [
    {
      name: 'what_is_wrong',
      description: 'Anomalies, alerts and open incidents on an entity and what it depends on.',
      schema: entity,
      run: (a) => answerHealth(ctx, String(a.entity)),
    },
    {
      name: 'what_changed',
      description: 'Recorded changes (deploys, config) to an entity; since is ms since epoch.',
      schema: entity.extend({ since: z.number().optional() }),
      run: (a) => answerChanges(ctx, String(a.entity), typeof a.since === 'number' ? a.since : undefined),
    },
    {
      name: 'dependencies',
      description: 'What an entity calls (out) or what calls it (in).',
      schema: entity.extend({ direction: z.enum(['out', 'in']) }),
      run: (a) => answerDependencies(ctx, String(a.entity), a.direction === 'in' ? 'in' : 'out'),
    },
    {
      name: 'top_anomalies',
      description: 'The highest-scoring recent anomalies.',
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
      description: 'One incident with all ranked root-cause candidates.',
      schema: z.object({ number: z.number().int() }),
      run: (a) => answerShowIncident(ctx, Number(a.number)),
    },
  ];
}

/** A reply as a tool result for a model: compact text with the evidence uids it rests on. */
export function replyAsToolResult(r: Reply): string {
  const lines = [r.title, ...r.sections.flatMap((s) => [...(s.heading ? [s.heading] : []), ...s.lines])];
  if (r.incident)
    lines.push(
      ...r.incident.suspects.slice(0, 10).map((s) => `candidate ${s.rank}: ${s.entity} score ${s.score} — ${s.why}`),
    );
  lines.push(`evidence: ${r.evidence.map((e) => e.uid).join(', ') || 'none'}`);
  return lines.join('\n').slice(0, 6_000);
}
