import type { Evidence, Question } from '../reply.js';
import type { GraphTool } from './graph-tools.js';

/** What a model returns: its text and the graph evidence its tool calls fetched (the only part trusted). */
export interface FreeFormAnswer {
  text: string;
  evidence: Evidence[];
  toolCalls: string[];
}

/** Answers free-form questions by calling graph tools; optional, chosen by `ROOTGRAPH_LLM`. */
export interface FreeFormModel {
  readonly name: string;
  answer(q: Question, tools: GraphTool[]): Promise<FreeFormAnswer>;
}
