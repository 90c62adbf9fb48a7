import { RootgraphError } from '../../errors.js';
import type { AssistantContext } from '../context.js';
import type { Question, Reply } from '../reply.js';

/** Runs an SRE's Cypher through the gate (allowlist, read-only, limits, audit) and returns the table. */
export async function answerCypher(ctx: AssistantContext, q: Question, query: string): Promise<Reply> {
  if (!ctx.cypher) {
    throw new RootgraphError('NOT_ALLOWED', 'Cypher is not enabled for this assistant.', {
      hint: 'Configure a Cypher allowlist, or use `rootgraph cypher` on the command line.',
    });
  }
  const table = await ctx.cypher.run({ query, user: q.user, channel: q.channel });
  return {
    title: `Cypher: ${table.rows.length} row${table.rows.length === 1 ? '' : 's'}${table.truncated ? ' (truncated)' : ''} in ${Math.round(table.elapsedMs)} ms`,
    sections: [],
    evidence: [],
    actions: [],
    table,
  };
}
