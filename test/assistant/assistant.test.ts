import { describe, expect, it } from 'vitest';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { Assistant } from '../../src/assistant/assistant.js';
import { parseIntent } from '../../src/assistant/intents.js';
import { LangChainModel } from '../../src/assistant/llm/langchain-model.js';
import { parseModelSpec } from '../../src/assistant/llm/create-model.js';
import { parseSince } from '../../src/assistant/time-phrases.js';
import { SlackOutbox } from '../../bots/slack/slack-outbox.js';
import { alertUid } from '../../src/incidents/incident.js';
import type { NodeRecord } from '../../src/model/graph.js';
import { uids } from '../../src/model/uid.js';
import { boutiqueGraph, NOW } from './fixture.js';

describe('parseIntent', () => {
  const cases: Array<[string, unknown]> = [
    ['incidents', { kind: 'list-incidents' }],
    ['list open incidents', { kind: 'list-incidents' }],
    ['<@U123> incident #12', { kind: 'show-incident', number: 12 }],
    ['what is wrong with checkout?', { kind: 'health', entity: 'checkout' }],
    ["what's wrong with shop/checkout", { kind: 'health', entity: 'shop/checkout' }],
    ['why is checkout slow', { kind: 'health', entity: 'checkout' }],
    [
      'what changed in payment in the last hour',
      {
        kind: 'changes',
        entity: 'payment',
        window: { from: NOW - 3_600_000, to: NOW, phrase: 'in the last hour' },
      },
    ],
    ['what changed in payment', { kind: 'changes', entity: 'payment' }],
    ['top anomalies now', { kind: 'top-anomalies' }],
    ['watch items', { kind: 'watch-alerts' }],
    ['alerts not in any incident?', { kind: 'watch-alerts' }],
    ['what other alerts are firing', { kind: 'watch-alerts' }],
    ['dependencies of checkout', { kind: 'dependencies', entity: 'checkout', direction: 'out' }],
    ['who calls payment', { kind: 'dependencies', entity: 'payment', direction: 'in' }],
    ['cypher MATCH (n)\nRETURN n', { kind: 'cypher', query: 'MATCH (n)\nRETURN n' }],
    ['```MATCH (n) RETURN n```', { kind: 'cypher', query: 'MATCH (n) RETURN n' }],
    [
      'root cause is payment for incident 3',
      { kind: 'feedback', verdict: 'root-cause', entity: 'payment', incident: 3 },
    ],
    ['not checkout', { kind: 'feedback', verdict: 'not-root-cause', entity: 'checkout' }],
    ['the coffee machine is broken', { kind: 'free', text: 'the coffee machine is broken' }],
  ];
  it.each(cases)('%s', (text, want) => expect(parseIntent(text, NOW)).toEqual(want));

  it('reads time phrases', () => {
    expect(parseSince('30m', NOW)).toBe(NOW - 1_800_000);
    expect(parseSince('since 2 days', NOW)).toBe(NOW - 2 * 86_400_000);
    expect(parseSince('yesterday', NOW)).toBe(Date.UTC(2025, 4, 5)); // the start of yesterday (UTC)
    expect(parseSince('since 2025-05-06T10:00:00Z', NOW)).toBe(Date.UTC(2025, 4, 6, 10));
    expect(parseSince('whenever', NOW)).toBeUndefined();
  });
});

/** A chat model that follows a script: first asks for a tool, then answers (stands in for a provider). */
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

describe('Assistant', () => {
  it('cites graph evidence for "what is wrong with X", including its dependencies', async () => {
    const { graph, incidents } = await boutiqueGraph();
    const a = new Assistant({ graph, incidents, now: () => NOW });
    const r = await a.answer({ text: 'why is checkoutservice slow', user: 'u', channel: 'c' });
    expect(r.error).toBeUndefined();
    expect(r.evidence.map((e) => e.uid)).toEqual(expect.arrayContaining(['Incident:1', 'Alert:fp0', 'Alert:fp2']));
    expect(r.evidence.some((e) => e.uid.startsWith('Anomaly:spot/paymentservice/latency_p99'))).toBe(true);
    // The three-day-old adservice anomaly is outside the lookback and not cited.
    expect(r.evidence.some((e) => e.uid.includes('adservice'))).toBe(false);
  });

  it("lists watch items: firing alerts no open incident holds, not the incident's own nor resolved or old ones", async () => {
    const { graph, incidents } = await boutiqueGraph();
    const lone = (fp: string, status: string, agoMs: number): NodeRecord => ({
      label: 'Alert',
      uid: alertUid(fp),
      props: { fingerprint: fp, name: 'CertificateExpiringSoon', status, severity: 'warning', startsAt: NOW - agoMs },
    });
    await graph.upsert({
      nodes: [lone('w1', 'firing', 60_000), lone('w2', 'resolved', 60_000), lone('w3', 'firing', 2 * 86_400_000)],
      edges: [{ type: 'FIRED_ON', from: alertUid('w1'), to: uids.service('shippingservice', 'boutique'), props: {} }],
      observedAt: NOW,
    });
    const a = new Assistant({ graph, incidents, now: () => NOW });
    const r = await a.answer({ text: 'watch items', user: 'u', channel: 'c' });
    expect(r.title).toBe('1 watch item');
    expect(r.evidence.map((e) => e.uid)).toEqual([alertUid('w1')]);
    expect(r.sections[0].lines[0]).toMatch(/^\*shippingservice\* alert `CertificateExpiringSoon` firing \[warning\]/);
  });

  it('without a model, free-form questions get the closest answer and a note', async () => {
    const { graph, incidents } = await boutiqueGraph();
    const r = await new Assistant({ graph, incidents, now: () => NOW }).answer({
      text: 'anything odd about paymentservice lately',
      user: 'u',
      channel: 'c',
    });
    expect(r.title).toBe('What is wrong with paymentservice');
    expect(r.note).toMatch(/No language model is configured/);
  });

  it('a model answers through graph tools, and its answer carries the evidence the tools fetched', async () => {
    const { graph, incidents } = await boutiqueGraph();
    const model = new ScriptedChatModel([
      new AIMessage({
        content: '',
        tool_calls: [{ id: 't1', name: 'what_is_wrong', args: { entity: 'checkoutservice' }, type: 'tool_call' }],
      }),
      new AIMessage('paymentservice is failing and checkoutservice waits on it.'),
    ]);
    const a = new Assistant({ graph, incidents, now: () => NOW, model: new LangChainModel(model, 'scripted') });
    const r = await a.answer({ text: 'so, checkout, huh?', user: 'u', channel: 'c' });
    expect(r.sections[0].lines[0]).toContain('paymentservice is failing');
    expect(r.evidence.some((e) => e.uid === 'Alert:fp0')).toBe(true);
    expect(String(model.seen[1].at(-1)?.content)).toContain('PaymentLatencyHigh'); // the tool result went back to the model
  });

  it('a model answer without evidence is not shown; the built-in answer follows', async () => {
    const { graph, incidents } = await boutiqueGraph();
    const a = new Assistant({
      graph,
      incidents,
      now: () => NOW,
      model: new LangChainModel(new ScriptedChatModel([new AIMessage('It is DNS.')]), 'scripted'),
    });
    const r = await a.answer({ text: 'any thoughts on paymentservice lately', user: 'u', channel: 'c' });
    expect(r.note).toMatch(/without fetching any graph evidence/);
    expect(JSON.stringify(r.sections)).not.toContain('It is DNS');
    expect(r.evidence.length).toBeGreaterThan(0); // from the deterministic answer, not the model
  });

  it('reads ROOTGRAPH_LLM specs and refuses unknown ones', () => {
    expect(parseModelSpec('openai:llama3@http://127.0.0.1:11434/v1')).toEqual({
      provider: 'openai',
      model: 'llama3',
      baseUrl: 'http://127.0.0.1:11434/v1',
    });
    expect(() => parseModelSpec('magic')).toThrow(/ROOTGRAPH_LLM/);
  });
});

describe('SlackOutbox', () => {
  it('spaces calls in one channel by the interval, keeps their order, and does not hold other channels', async () => {
    let clock = 0;
    const sleeps: number[] = [];
    const outbox = new SlackOutbox({
      intervalMs: 1_000,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
    const order: string[] = [];
    await Promise.all([
      outbox.send('A', async () => order.push('a1')),
      outbox.send('A', async () => order.push('a2')),
      outbox.send('B', async () => order.push('b1')),
      outbox.send('A', async () => order.push('a3')),
    ]);
    expect(order.filter((x) => x.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(sleeps.filter((s) => s === 1_000).length).toBeGreaterThanOrEqual(1);
  });

  it('retries after retry_after on a rate-limit error, and gives up on other errors', async () => {
    const sleeps: number[] = [];
    const outbox = new SlackOutbox({
      intervalMs: 0,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    let n = 0;
    const result = await outbox.send('A', async () => {
      if (n++ === 0)
        throw Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(sleeps).toContain(7_000);
    await expect(
      outbox.send('A', async () => {
        throw new Error('channel_not_found');
      }),
    ).rejects.toThrow('channel_not_found');
  });
});
