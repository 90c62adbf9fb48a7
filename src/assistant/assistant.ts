import { isRootgraphError, userMessage } from '../errors.js';
import type { GraphStore } from '../graph/graph-store.js';
import type { FeedbackSink } from '../ports/feedback-sink.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import { answerChanges } from './answers/entity-changes.js';
import { answerCypher } from './answers/cypher.js';
import { answerDependencies } from './answers/dependencies.js';
import { answerFeedback } from './answers/feedback.js';
import { answerFreeForm } from './answers/free-form.js';
import { answerHealth } from './answers/entity-health.js';
import { answerListIncidents, answerShowIncident } from './answers/incidents.js';
import { answerTopAnomalies } from './answers/top-anomalies.js';
import { answerWatchAlerts } from './answers/watch-alerts.js';
import { ASSISTANT_DEFAULTS, type AssistantContext } from './context.js';
import type { CypherGate } from './cypher-access.js';
import { helpReply } from './help.js';
import { parseIntent, type Intent } from './intents.js';
import type { FreeFormModel } from './llm/free-form-model.js';
import type { Question, Reply } from './reply.js';

/** What the assistant needs; everything but the graph and incidents is optional. */
export interface AssistantOptions {
  graph: GraphStore;
  incidents: IncidentStore;
  feedback?: FeedbackSink;
  /** Cypher for allowlisted users; without it, Cypher questions are refused. */
  cypher?: CypherGate;
  /** A tool-calling model for free-form questions; without it, the closest deterministic answer. */
  model?: FreeFormModel;
  now?: () => number;
  lookbackMs?: number;
}

/**
 * The transport-free chat core: a question in, a reply out. Recognised intents are answered
 * deterministically from the graph, citing their evidence; the rest go to the optional model.
 * Never throws: failures become replies that say what went wrong and what to do.
 */
export class Assistant {
  private readonly ctx: AssistantContext;

  constructor(private readonly opts: AssistantOptions) {
    this.ctx = {
      graph: opts.graph,
      incidents: opts.incidents,
      feedback: opts.feedback,
      cypher: opts.cypher,
      now: opts.now ?? Date.now,
      lookbackMs: opts.lookbackMs ?? ASSISTANT_DEFAULTS.lookbackMs,
    };
  }

  /** The context answers read, for transports that render incidents themselves (App Home). */
  get context(): AssistantContext {
    return this.ctx;
  }

  /** Answers one question. */
  async answer(q: Question): Promise<Reply> {
    const intent = parseIntent(q.text, this.ctx.now());
    try {
      return await this.dispatch(intent, q);
    } catch (err) {
      const code = isRootgraphError(err) ? err.code : 'INTERNAL';
      return {
        title: titleFor(code),
        sections: [{ lines: [userMessage(err)] }],
        evidence: [],
        actions: [],
        error: { code, message: userMessage(err) },
      };
    }
  }

  private dispatch(intent: Intent, q: Question): Promise<Reply> {
    const ctx = this.ctx;
    switch (intent.kind) {
      case 'help':
        return Promise.resolve(helpReply());
      case 'list-incidents':
        return answerListIncidents(ctx);
      case 'show-incident':
        return answerShowIncident(ctx, intent.number);
      case 'health':
        return answerHealth(ctx, intent.entity);
      case 'changes':
        return answerChanges(ctx, intent.entity, intent.since);
      case 'top-anomalies':
        return answerTopAnomalies(ctx);
      case 'watch-alerts':
        return answerWatchAlerts(ctx);
      case 'dependencies':
        return answerDependencies(ctx, intent.entity, intent.direction);
      case 'cypher':
        return answerCypher(ctx, q, intent.query);
      case 'feedback':
        return answerFeedback(ctx, q, intent);
      case 'free':
        return answerFreeForm(ctx, q, this.opts.model);
    }
  }
}

function titleFor(code: string): string {
  switch (code) {
    case 'NOT_ALLOWED':
    case 'CYPHER_WRITE_REFUSED':
      return 'Refused';
    case 'NOT_FOUND':
      return 'Not found';
    case 'NEEDS_NEO4J':
      return 'Needs Neo4j';
    case 'INPUT_INVALID':
    case 'CYPHER_INVALID':
      return 'Could not read that';
    case 'CYPHER_TIMEOUT':
      return 'Timed out';
    default:
      return 'Something went wrong';
  }
}
