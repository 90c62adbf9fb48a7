import type { Evidence, Question } from '../reply.js';
import type { GraphTool } from './graph-tools.js';

/**
 * What a model returns: its text, the graph evidence its tool calls fetched, and the tool results as
 * the model read them — the only facts its text may state (llm/grounding.ts checks it against them).
 */
export interface FreeFormAnswer {
  text: string;
  evidence: Evidence[];
  toolCalls: string[];
  toolResults: string[];
}

/** Answers free-form questions by calling graph tools; optional, chosen by `ROOTGRAPH_LLM`. */
export interface FreeFormModel {
  readonly name: string;
  answer(q: Question, tools: GraphTool[]): Promise<FreeFormAnswer>;
}
