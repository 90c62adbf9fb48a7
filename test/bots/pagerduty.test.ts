import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleNotifier } from '../../bots/console/console-notifier.js';
import { PagerDutyEvents } from '../../bots/pagerduty/pagerduty-events.js';
import { PagerDutyNotifier } from '../../bots/pagerduty/pagerduty-notifier.js';
import { Assistant } from '../../src/assistant/assistant.js';
import { isRootgraphError } from '../../src/errors.js';
import { PagerDutyStandIn } from '../helpers/pagerduty-standin.js';
import { boutiqueGraph, NOW } from '../assistant/fixture.js';

let pd: PagerDutyStandIn;
beforeAll(async () => {
  pd = await new PagerDutyStandIn().start();
});
afterAll(async () => {
  await pd.stop();
});

const events = (opts: { sleep?: (ms: number) => Promise<void> } = {}) =>
  new PagerDutyEvents({ routingKey: 'R0UT1NG', url: pd.url, dedupPrefix: 'rg-test', sleep: async () => {}, ...opts });

describe('PagerDuty Events API v2 outbound', () => {
  it('triggers on the card, acknowledges and resolves from chat, all under one dedup key', async () => {
    const { graph, incidents, incident } = await boutiqueGraph();
    const before = pd.events.length;
    const errors: unknown[] = [];
    const card = new PassThrough();
    const notifier = new PagerDutyNotifier(new ConsoleNotifier(card), events(), (err) => errors.push(err));
    await notifier.publish(incident);
    await notifier.publish(incident); // a later revision in the same state sends nothing new
    const a = new Assistant({ graph, incidents, notifier, now: () => NOW });
    await a.answer({ text: `ack ${incident.number}`, user: 'alice', channel: 'c' });
    await a.answer({ text: `resolve ${incident.number}: rolled back the deploy`, user: 'alice', channel: 'c' });
    const sent = pd.events.slice(before);
    expect(sent.map((e) => e.event_action)).toEqual(['trigger', 'acknowledge', 'resolve']);
    expect(new Set(sent.map((e) => e.dedup_key))).toEqual(new Set([`rg-test-incident-${incident.number}`]));
    expect(sent[0]).toMatchObject({
      routing_key: 'R0UT1NG',
      payload: {
        summary: `#${incident.number} ${incident.title} — top suspect paymentservice`,
        severity: 'critical',
        source: 'frontend',
        component: 'paymentservice',
      },
      client: 'rootgraph',
    });
    expect(errors).toEqual([]);
    expect(String(card.read())).toContain(`Incident #${incident.number}`); // the card went out first
  });

  it('retries 5xx, and a refused event (bad routing key) never blocks the card', async () => {
    const { incident } = await boutiqueGraph();
    const sleeps: number[] = [];
    pd.failNext(503, { status: 'unavailable' });
    const before = pd.events.length;
    await events({ sleep: async (ms) => void sleeps.push(ms) }).send(incident, 'trigger');
    expect(pd.events.length).toBe(before + 1);
    expect(sleeps).toEqual([500]);

    pd.failNext(400);
    const errors: unknown[] = [];
    const card = new PassThrough();
    const ref = await new PagerDutyNotifier(new ConsoleNotifier(card), events(), (err) => errors.push(err)).publish(
      incident,
    );
    expect(ref).toEqual({ channel: 'console', ts: String(incident.number) });
    expect(errors).toHaveLength(1);
    expect(isRootgraphError(errors[0], 'CONFIG_INVALID')).toBe(true);
    expect(String(errors[0])).toContain('routing_key is invalid');
  });

  it('is off unless a routing key is configured', () => {
    expect(PagerDutyEvents.fromConfig({ queuePrefix: 'x' })).toBeUndefined();
    expect(
      PagerDutyEvents.fromConfig({ queuePrefix: 'x', pagerDuty: { routingKey: 'k', url: pd.url } })?.dedupKey({
        number: 4,
      }),
    ).toBe('rootgraph-x-incident-4');
  });
});
