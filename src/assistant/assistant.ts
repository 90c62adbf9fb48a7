import { isRootgraphError, RootgraphError, userMessage } from '../errors.js';
import type { GraphStore } from '../graph/graph-store.js';
import type { NodeRecord } from '../model/graph.js';
import type { FeedbackSink } from '../ports/feedback-sink.js';
import type { MetricSource } from '../ports/metric-source.js';
import type { Notifier } from '../ports/notifier.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import { answerChanges, answerClusterChanges } from './answers/entity-changes.js';
import { answerCypher } from './answers/cypher.js';
import { answerDependencies } from './answers/dependencies.js';
import { answerFeedback } from './answers/feedback.js';
import { answerFiring } from './answers/firing.js';
import { answerFreeForm } from './answers/free-form.js';
import { answerHealth } from './answers/entity-health.js';
import { answerListIncidents, answerShowIncident, whichIncident } from './answers/incidents.js';
import { answerLifecycle, type LifecycleAsk } from './answers/lifecycle.js';
import { answerLogs } from './answers/logs.js';
import { answerMembers } from './answers/members.js';
import { answerMetric } from './answers/metric.js';
import { answerOwner } from './answers/owner.js';
import { answerTopAnomalies } from './answers/top-anomalies.js';
import { answerWatchAlerts } from './answers/watch-alerts.js';
import { answerWhy } from './answers/why.js';
import { ASSISTANT_DEFAULTS, type AssistantContext } from './context.js';
import { ConversationMemory, type ConversationState } from './conversation.js';
import type { CypherGate } from './cypher-access.js';
import { helpReply } from './help.js';
import { IT, parseIntent, type Intent } from './intents.js';
import type { LinkTemplates } from './links.js';
import type { FreeFormModel } from './llm/free-form-model.js';
import type { Question, Reply } from './reply.js';
import { displayName, resolveEntity, UnknownEntityError } from './resolve-entity.js';

/** What the assistant needs; everything but the graph and incidents is optional. */
export interface AssistantOptions {
  graph: GraphStore;
  incidents: IncidentStore;
  feedback?: FeedbackSink;
  /** Cypher for allowlisted users; without it, Cypher questions are refused. */
  cypher?: CypherGate;
  /** A tool-calling model for free-form questions; without it, the closest deterministic answer. */
  model?: FreeFormModel;
  /** Live metrics for "what is the memory of X"; without it, recorded evidence only. */
  metrics?: MetricSource;
  /** Publishes cards after lifecycle changes from chat (Slack edits the card in place). */
  notifier?: Notifier;
  /** URL templates for card links (ROOTGRAPH_METRICS_URL, …). */
  links?: LinkTemplates;
  ownerLabels?: string[];
  now?: () => number;
  lookbackMs?: number;
}

/** A subject an answer is about, and the note to add when the name had to be guessed. */
type Subject = { node: NodeRecord; note?: string };

/**
 * The transport-free chat core: a question in, a reply out. Recognised intents are answered
 * deterministically from the graph, citing their evidence; follow-ups ("why?", "and its pods?") use what
 * the conversation was about; the rest go to the optional model, whose text must rest on its tool
 * results. Never throws: failures become replies that say what went wrong and what to do.
 */
export class Assistant {
  private readonly ctx: AssistantContext;
  private readonly memory: ConversationMemory;

  constructor(private readonly opts: AssistantOptions) {
    this.ctx = {
      graph: opts.graph,
      incidents: opts.incidents,
      feedback: opts.feedback,
      cypher: opts.cypher,
      metrics: opts.metrics,
      notifier: opts.notifier,
      links: opts.links ?? {},
      ownerLabels: opts.ownerLabels ?? ASSISTANT_DEFAULTS.ownerLabels,
      now: opts.now ?? Date.now,
      lookbackMs: opts.lookbackMs ?? ASSISTANT_DEFAULTS.lookbackMs,
    };
    this.memory = new ConversationMemory(this.ctx.now);
  }

  /** The context answers read, for transports that render incidents themselves (App Home, cards). */
  get context(): AssistantContext {
    return this.ctx;
  }

  /** Answers one question; the conversation (who + where) remembers its subject for follow-ups. */
  async answer(q: Question): Promise<Reply> {
    const key = `${q.channel}|${q.user}`;
    const state = this.memory.get(key);
    const intent = parseIntent(q.text, this.ctx.now());
    const reply = await this.guard(() => this.dispatch(intent, q, state), q);
    if (reply.about) this.memory.remember(key, { ...reply.about, intent: intent.kind });
    return reply;
  }

  /**
   * A lifecycle action from a button or menu (acknowledge, assign, resolve with a note, reopen) on a
   * named incident: the same path as the chat command. Never throws.
   */
  act(incident: number, ask: LifecycleAsk, channel = 'button'): Promise<Reply> {
    return this.guard(
      async () =>
        answerLifecycle(this.ctx, await this.incident({ channel, user: ask.by, text: '' }, incident, { at: 0 }), ask),
      {
        text: ask.action,
        user: ask.by,
        channel,
      },
    );
  }

  private async guard(run: () => Promise<Reply>, q: Question): Promise<Reply> {
    try {
      return await run();
    } catch (err) {
      const code = isRootgraphError(err) ? err.code : 'INTERNAL';
      const retry =
        err instanceof UnknownEntityError && err.typed
          ? err.suggestions.map((s) => ({ label: s, command: q.text.replace(err.typed, s) }))
          : [];
      return {
        title: titleFor(code),
        sections: [{ lines: [userMessage(err)] }],
        evidence: [],
        actions: retry.filter((a) => a.command !== q.text).slice(0, 3),
        error: { code, message: userMessage(err) },
      };
    }
  }

  private incident(q: Question, named: number | undefined, state: ConversationState) {
    return whichIncident(this.ctx, q, named, state.incident);
  }

  /**
   * The entity a question is about: the name typed (closest match, with a note when guessed), else —
   * for "it", "there", or a name left out — the conversation's entity, else the top suspect of its incident.
   */
  private async subject(name: string | undefined, state: ConversationState, q: Question): Promise<Subject> {
    if (name !== undefined && name !== IT) {
      const found = await resolveEntity(this.ctx.graph, name);
      const note =
        found.match === 'exact' ? undefined : `Showing \`${displayName(found.node)}\`, the closest name to "${name}".`;
      return { node: found.node, note };
    }
    const remembered = state.entity ? await this.ctx.graph.getNode(state.entity) : undefined;
    if (remembered) return { node: remembered };
    const incident = await this.incident(q, undefined, state).catch(() => undefined);
    const top = incident?.suspects.slice().sort((a, b) => a.rank - b.rank)[0];
    const node = top ? await this.ctx.graph.getNode(top.entity) : undefined;
    if (node)
      return { node, note: `About \`${displayName(node)}\`, the top suspect of incident #${incident!.number}.` };
    throw new RootgraphError('INPUT_INVALID', 'About which service, pod or machine?', {
      hint: 'Name it ("… of cartservice"), or ask about an incident first ("incident 1").',
    });
  }

  private async about(
    name: string | undefined,
    state: ConversationState,
    q: Question,
    run: (n: NodeRecord) => Promise<Reply>,
  ) {
    const s = await this.subject(name, state, q);
    const reply = await run(s.node);
    return s.note ? { ...reply, note: reply.note ? `${s.note} ${reply.note}` : s.note } : reply;
  }

  private async dispatch(intent: Intent, q: Question, state: ConversationState): Promise<Reply> {
    const ctx = this.ctx;
    switch (intent.kind) {
      case 'help':
        return helpReply();
      case 'list-incidents':
        return answerListIncidents(ctx);
      case 'show-incident':
        return answerShowIncident(ctx, await this.incident(q, intent.number, state));
      case 'why': {
        const incident = await this.incident(q, intent.incident, state).catch((err: unknown) => {
          if (intent.incident === undefined && state.entity) return undefined;
          throw err;
        });
        if (incident) return answerWhy(ctx, incident);
        return this.about(undefined, state, q, (n) => answerHealth(ctx, n));
      }
      case 'health':
        return this.about(intent.entity, state, q, (n) => answerHealth(ctx, n));
      case 'changes':
        if (intent.entity === undefined) return answerClusterChanges(ctx, intent.window);
        return this.about(intent.entity, state, q, (n) => answerChanges(ctx, n, intent.window));
      case 'top-anomalies':
        if (intent.entity === undefined) return answerTopAnomalies(ctx, { window: intent.window });
        return this.about(intent.entity, state, q, (n) =>
          answerTopAnomalies(ctx, { entity: n, window: intent.window }),
        );
      case 'firing':
        return answerFiring(ctx, intent.window);
      case 'watch-alerts':
        return answerWatchAlerts(ctx);
      case 'logs':
        return this.about(intent.entity, state, q, (n) => answerLogs(ctx, n, intent.errorsOnly, intent.window));
      case 'dependencies':
        return this.about(intent.entity, state, q, (n) => answerDependencies(ctx, n, intent.direction, intent.window));
      case 'members':
        return this.about(intent.entity, state, q, (n) => answerMembers(ctx, n));
      case 'owner':
        return this.about(intent.entity, state, q, (n) => answerOwner(ctx, n));
      case 'metric':
        return this.about(intent.entity, state, q, (n) => answerMetric(ctx, n, intent.metric, intent.window));
      case 'lifecycle':
        return answerLifecycle(ctx, await this.incident(q, intent.incident, state), {
          action: intent.action,
          by: q.user,
          ...(intent.assignee ? { assignee: intent.assignee } : {}),
          ...(intent.note ? { note: intent.note } : {}),
        });
      case 'cypher':
        return answerCypher(ctx, q, intent.query);
      case 'feedback':
        return answerFeedback(ctx, q, await this.incident(q, intent.incident, state), intent);
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
    case 'UNAVAILABLE':
      return 'Not available';
    default:
      return 'Something went wrong';
  }
}
