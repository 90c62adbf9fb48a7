import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage, ToolMessage, type AIMessage, type BaseMessage } from '@langchain/core/messages';
import { RootgraphError, userMessage } from '../../errors.js';
import type { Evidence, Question } from '../reply.js';
import type { FreeFormAnswer, FreeFormModel } from './free-form-model.js';
import { replyAsToolResult, type GraphTool } from './graph-tools.js';

const SYSTEM = [
  'You are rootgraph, an incident assistant for on-call engineers.',
  'Answer only from what the tools return; call a tool before answering any question about the system.',
  'Every number, entity, alert and incident you state must appear in a tool result: sentences with any other',
  'fact are removed before the answer is shown. Keep units as the tools give them.',
  'Name the entities and incident numbers you rely on. If the tools return nothing relevant, say so.',
].join(' ');

/** Defaults for the tool-calling loop. */
export const DEFAULTS = { maxSteps: 4 };

/**
 * A LangChain chat model as a tool-calling agent over the graph tools: the model asks for tools,
 * we run them (read-only) and feed the results back, up to `maxSteps` rounds. The evidence of every
 * tool run is collected, so the caller can show what the answer rests on.
 */
export class LangChainModel implements FreeFormModel {
  constructor(
    private readonly model: BaseChatModel,
    readonly name: string,
    private readonly maxSteps = DEFAULTS.maxSteps,
  ) {}

  async answer(q: Question, tools: GraphTool[]): Promise<FreeFormAnswer> {
    if (!this.model.bindTools)
      throw new RootgraphError('CONFIG_INVALID', `The chat model ${this.name} cannot call tools.`, {
        hint: 'Choose a model with tool calling.',
      });
    const bound = this.model.bindTools(
      tools.map((t) => ({ name: t.name, description: t.description, schema: t.schema })),
    );
    const byName = new Map(tools.map((t) => [t.name, t]));
    const messages: BaseMessage[] = [new SystemMessage(SYSTEM), new HumanMessage(q.text)];
    const evidence: Evidence[] = [];
    const called: string[] = [];
    const results: string[] = [];
    for (let step = 0; step < this.maxSteps; step++) {
      const ai = (await bound.invoke(messages)) as AIMessage;
      messages.push(ai);
      const calls = ai.tool_calls ?? [];
      if (calls.length === 0) return { text: textOf(ai), evidence, toolCalls: called, toolResults: results };
      for (const call of calls) {
        const tool = byName.get(call.name);
        called.push(call.name);
        let content: string;
        try {
          if (!tool) throw new RootgraphError('INPUT_INVALID', `no tool named ${call.name}`);
          const reply = await tool.run(tool.schema.parse(call.args) as Record<string, unknown>);
          evidence.push(...reply.evidence);
          content = replyAsToolResult(reply);
          results.push(content);
        } catch (err) {
          content = `error: ${userMessage(err)}`;
        }
        messages.push(new ToolMessage({ content, tool_call_id: call.id ?? call.name }));
      }
    }
    return {
      text: 'I could not finish within the allowed number of tool calls.',
      evidence,
      toolCalls: called,
      toolResults: results,
    };
  }
}

function textOf(m: AIMessage): string {
  if (typeof m.content === 'string') return m.content;
  return m.content.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : '')).join('');
}
