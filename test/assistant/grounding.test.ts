import { describe, expect, it } from 'vitest';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { Assistant } from '../../src/assistant/assistant.js';
import { groundText, sentences } from '../../src/assistant/llm/grounding.js';
import { LangChainModel } from '../../src/assistant/llm/langchain-model.js';
import { boutiqueGraph, NOW } from './fixture.js';
import { leaks, shown } from './demo-scenario.js';

/** A chat model that follows a script (stands in for a provider): tool calls first, then its text. */
class ScriptedChatModel extends BaseChatModel {
  seen: BaseMessage[][] = [];
  constructor(private readonly script: AIMessage[]) {
    super({});
  }
  _llmType() {
    return 'scripted';
  }
  override bindTools() {
    return this as never;
  }
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.seen.push(messages);
    const message = this.script[Math.min(this.seen.length - 1, this.script.length - 1)];
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] };
  }
}

const callTool = (name: string, args: Record<string, unknown>) =>
  new AIMessage({ content: '', tool_calls: [{ id: 't1', name, args, type: 'tool_call' }] });

describe('groundText', () => {
  const sources = ['paymentservice p99 latency 120 ms → 2.3 s; alert PaymentLatencyHigh firing; 3,344 calls'];
  const known = ['paymentservice', 'checkoutservice', 'cartservice'];

  it('keeps sentences whose numbers, names and alerts all come from the sources', () => {
    const g = groundText(
      'paymentservice is slow: p99 went from 120 ms to 2.3 s. PaymentLatencyHigh is firing.',
      sources,
      known,
    );
    expect(g.dropped).toEqual([]);
    expect(g.kept).toHaveLength(2);
  });

  it('drops a sentence with an invented number, entity or alert, and names what was invented', () => {
    const g = groundText(
      'The p99 of paymentservice is 2.3 s. Memory is at 97 %. cartservice was deployed by bob. KubeNodeNotReady fired too.',
      sources,
      known,
    );
    expect(g.kept).toEqual(['The p99 of paymentservice is 2.3 s.']);
    expect(g.invented).toEqual(expect.arrayContaining(['97', 'cartservice', 'KubeNodeNotReady']));
  });

  it('reads numbers the way people write them (3,344 is 3344; 2.30 is 2.3)', () => {
    expect(groundText('It made 3344 calls, p99 2.30 s.', sources, known).dropped).toEqual([]);
  });

  it('splits sentences and list lines', () => {
    expect(sentences('One. Two!\n- three')).toEqual(['One.', 'Two!', '- three']);
  });
});

describe('a language model may rephrase, never invent', () => {
  it('a model that invents a fact beside a grounded one: the invented sentence is removed and named', async () => {
    const { graph, incidents } = await boutiqueGraph();
    const model = new ScriptedChatModel([
      callTool('what_is_wrong', { entity: 'checkoutservice' }),
      new AIMessage(
        'paymentservice has PaymentLatencyHigh firing, and checkoutservice waits on it. ' +
          'It was rolled out by bob at 09:12 and its memory is at 97 %.',
      ),
    ]);
    const a = new Assistant({ graph, incidents, now: () => NOW, model: new LangChainModel(model, 'scripted') });
    const r = await a.answer({ text: 'so, checkout, huh?', user: 'u', channel: 'c' });
    const text = shown(r);
    expect(r.sections[0].lines).toEqual([
      'paymentservice has PaymentLatencyHigh firing, and checkoutservice waits on it.',
    ]);
    expect(text).not.toContain('bob at');
    expect(r.note).toContain('1 sentence removed');
    expect(r.note).toMatch(/"97"/);
    expect(r.evidence.some((e) => e.uid === 'Alert:fp0')).toBe(true);
    expect(leaks(text)).toEqual([]);
    // The tool result the model read carried the facts, and no uid.
    const toolResult = String(model.seen[1].at(-1)?.content);
    expect(toolResult).toContain('PaymentLatencyHigh');
    expect(leaks(toolResult)).toEqual([]);
  });

  it('a model whose every sentence is invented: nothing of it is shown, the built-in answer is', async () => {
    const { graph, incidents } = await boutiqueGraph();
    const model = new ScriptedChatModel([
      callTool('what_is_wrong', { entity: 'paymentservice' }),
      new AIMessage('The database ran out of disk at 03:00 on node db-7.'),
    ]);
    const a = new Assistant({ graph, incidents, now: () => NOW, model: new LangChainModel(model, 'scripted') });
    const r = await a.answer({ text: 'tell me a story about paymentservice', user: 'u', channel: 'c' });
    expect(shown(r)).not.toContain('ran out of disk');
    expect(r.note).toContain('stated facts no graph query returned');
    expect(r.title).toBe('What is wrong with paymentservice');
  });

  it('the leak check itself catches raw arrays and uids (so the suites can fail)', () => {
    expect(leaks('2271 calls, 0,0,0,0,0,0,1,0,0 errors')).toHaveLength(1);
    expect(leaks('errors [0, 1, 2]')).toHaveLength(1);
    expect(leaks('top suspect Service:default/boutique/cartservice')).toHaveLength(1);
    expect(leaks('3,344 calls, 2 errors (0.06 %)')).toEqual([]);
  });
});
