/** The transport-free chat core: bots import from here. */
export { Assistant, type AssistantOptions } from './assistant.js';
export type { Question, Reply, ReplySection, ReplyAction, Evidence } from './reply.js';
export { textReply } from './reply.js';
export { parseIntent, type Intent, type LifecycleAction } from './intents.js';
export { CypherGate, type CypherAllowlist, type GroupMembership, type CypherGateOptions } from './cypher-access.js';
export { GraphFeedbackSink } from './graph-feedback-sink.js';
export type { IncidentCorrections } from '../ports/incident-corrections.js';
export { toIncidentCard, type IncidentCard, type CardCandidate, type CardAlertGroup } from './incident-card.js';
export { loadCardContext, type CardContext, type CardAlert } from './card-context.js';
export type { LinkTemplates, CardLink } from './links.js';
export type { FreeFormModel, FreeFormAnswer } from './llm/free-form-model.js';
export { LangChainModel } from './llm/langchain-model.js';
export { createFreeFormModel, parseModelSpec } from './llm/create-model.js';
export { groundText } from './llm/grounding.js';
export { EXAMPLES } from './help.js';
