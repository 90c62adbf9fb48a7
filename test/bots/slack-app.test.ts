import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from '@slack/bolt';
import type { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import type { Incident } from '../../src/incidents/incident.js';
import { uid } from '../../src/model/uid.js';
import { limitViolations } from '../../bots/slack/render/limits.js';
import { blockActionBody, eventBody, postSigned, slashCommandBody } from '../helpers/slack-standin.js';
import { boutiqueGraph, svc, suspects } from '../assistant/fixture.js';
import { SECRET, startHarness, type Harness } from './slack-harness.js';

let h: Harness;
let graph: MemoryGraphStore;
let incident: Incident;
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const send = (body: string, contentType: string) => postSigned(h.events, body, { secret: SECRET, contentType });
const texts = (blocks: unknown) => JSON.stringify(blocks);

beforeAll(async () => {
  ({ graph, incident } = await boutiqueGraph());
  h = await startHarness(graph);
});
afterAll(async () => {
  await h.close();
});

describe('Slack app over HTTP: request signing', () => {
  const challenge = JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' });

  it('answers a correctly signed request', async () => {
    const res = await send(challenge, JSON_TYPE);
    expect(res.status).toBe(200);
    expect(res.text).toContain('abc123');
  });

  it('refuses a bad signature', async () => {
    const res = await postSigned(h.events, challenge, {
      secret: SECRET,
      contentType: JSON_TYPE,
      signature: 'v0=' + '0'.repeat(64),
    });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('abc123');
  });

  it('refuses a correctly signed request older than five minutes', async () => {
    const res = await postSigned(h.events, challenge, {
      secret: SECRET,
      contentType: JSON_TYPE,
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(res.status).toBe(401);
  });
});

describe('Slack app over HTTP: incident cards and feedback', () => {
  let card: { channel: string; ts: string };

  it('a new incident produces one card in the routed channel', async () => {
    card = await h.bot.notifier.publish(incident);
    const posts = h.standIn.of('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0].body.channel).toBe('CSHOP'); // routed by namespace boutique
    expect(card).toEqual({ channel: 'CSHOP', ts: expect.any(String) });
    const blocks = posts[0].body.blocks as types.KnownBlock[];
    expect(limitViolations(blocks)).toEqual([]);
    expect(texts(blocks)).toContain('paymentservice');
    expect(texts(blocks)).toContain('path `paymentservice` → `checkoutservice` → `frontend`');
  });

  it('an RCA update edits the same card (chat.update, no second message)', async () => {
    const updated: Incident = {
      ...incident,
      revision: 3,
      diagnosedRevision: 3,
      suspects: suspects(['checkoutservice', 'paymentservice']),
    };
    const again = await h.bot.notifier.publish(updated);
    expect(again).toEqual(card);
    expect(h.standIn.of('chat.postMessage')).toHaveLength(1);
    const updates = h.standIn.of('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0].body).toMatchObject({ channel: card.channel, ts: card.ts });
    expect(texts(updates[0].body.blocks)).toMatch(/\*Top suspect\* `checkoutservice`/);
    // The resolved state is an edit of the same card too.
    await h.bot.notifier.publish({
      ...updated,
      status: 'resolved',
      resolvedAt: updated.updatedAt + 60_000,
      revision: 4,
    });
    expect(h.standIn.of('chat.postMessage')).toHaveLength(1);
    expect(texts(h.standIn.of('chat.update')[1].body.blocks)).toContain('[Resolved]');
    incident.card = card;
    await h.incidents.save(incident);
  });

  it('a "Root cause" button click reaches the feedback store and is acknowledged in the thread', async () => {
    const entity = svc('checkoutservice');
    const res = await send(
      blockActionBody(h.standIn, {
        user: 'UONCALL',
        channel: card.channel,
        ts: card.ts,
        action: {
          type: 'button',
          action_id: 'rg_root_cause',
          value: `${incident.number}|${entity}`,
          text: { type: 'plain_text', text: 'Root cause' },
        },
      }),
      FORM,
    );
    expect(res.status).toBe(200);
    const node = await graph.getNode(uid('Feedback', incident.number, entity, 'UONCALL'));
    expect(node?.props).toMatchObject({ verdict: 'root-cause', source: 'button', entity, incident: incident.number });
    const ack = h.standIn
      .of('chat.postMessage')
      .find((c) => c.body.thread_ts === card.ts && String(c.body.text).includes('UONCALL'));
    expect(ack?.body.text).toContain('checkoutservice');
  });

  it('a ✅ reaction on the card is feedback on its top candidate', async () => {
    const res = await send(
      eventBody({
        type: 'reaction_added',
        user: 'UREACT',
        reaction: 'white_check_mark',
        item_user: 'UBOT',
        item: { type: 'message', channel: card.channel, ts: card.ts },
        event_ts: String(Date.now() / 1000),
      }),
      JSON_TYPE,
    );
    expect(res.status).toBe(200);
    const top = incident.suspects[0].entity;
    const node = await graph.getNode(uid('Feedback', incident.number, top, 'UREACT'));
    expect(node?.props).toMatchObject({ verdict: 'root-cause', source: 'reaction', entity: top });
    expect(
      h.standIn
        .of('chat.postMessage')
        .some((c) => c.body.thread_ts === card.ts && String(c.body.text).includes('UREACT')),
    ).toBe(true);
  });

  it('a ❌ reaction records "not the root cause"; other emoji and other messages are ignored', async () => {
    await send(
      eventBody({
        type: 'reaction_added',
        user: 'UNO',
        reaction: 'x',
        item: { type: 'message', channel: card.channel, ts: card.ts },
        event_ts: '1',
      }),
      JSON_TYPE,
    );
    await send(
      eventBody({
        type: 'reaction_added',
        user: 'UOTHER',
        reaction: 'white_check_mark',
        item: { type: 'message', channel: card.channel, ts: '1.000' },
        event_ts: '2',
      }),
      JSON_TYPE,
    );
    await send(
      eventBody({
        type: 'reaction_added',
        user: 'UOTHER',
        reaction: 'tada',
        item: { type: 'message', channel: card.channel, ts: card.ts },
        event_ts: '3',
      }),
      JSON_TYPE,
    );
    expect(
      (await graph.getNode(uid('Feedback', incident.number, incident.suspects[0].entity, 'UNO')))?.props.verdict,
    ).toBe('not-root-cause');
    const feedback = await graph.findNodes({ label: 'Feedback', where: { by: 'UOTHER' } });
    expect(feedback).toEqual([]);
  });

  it('naming the actual root cause from the menu is feedback too', async () => {
    const entity = svc('currencyservice');
    await send(
      blockActionBody(h.standIn, {
        user: 'UMENU',
        channel: card.channel,
        ts: card.ts,
        action: {
          type: 'static_select',
          action_id: 'rg_name_root_cause',
          selected_option: {
            text: { type: 'plain_text', text: 'currencyservice' },
            value: `${incident.number}|${entity}`,
          },
        },
      }),
      FORM,
    );
    expect((await graph.getNode(uid('Feedback', incident.number, entity, 'UMENU')))?.props).toMatchObject({
      verdict: 'root-cause',
      source: 'menu',
    });
  });
});

describe('Slack app over HTTP: questions, Cypher, App Home', () => {
  const slash = async (user: string, text: string) => {
    const before = h.standIn.of('response_url').length;
    const res = await send(slashCommandBody(h.standIn, { user, channel: 'CSHOP', text }), FORM);
    expect(res.status).toBe(200);
    const answers = h.standIn.of('response_url');
    expect(answers.length).toBe(before + 1);
    return answers[answers.length - 1].body;
  };

  it('/rootgraph is answered by the assistant, with its evidence', async () => {
    const body = await slash('UONCALL', 'what is wrong with checkoutservice');
    expect(body.response_type).toBe('in_channel');
    expect(texts(body.blocks)).toContain('paymentservice');
    expect(texts(body.blocks)).toContain('Evidence');
    expect(limitViolations(body.blocks as types.KnownBlock[])).toEqual([]);
  });

  it("a stranger's Cypher is refused and audited", async () => {
    const body = await slash('UNOBODY', 'cypher MATCH (s:Service) RETURN s.name');
    expect(body.response_type).toBe('ephemeral');
    expect(texts(body.blocks)).toContain('allowlisted');
    const audit = await graph.findNodes({ label: 'CypherAudit', where: { by: 'UNOBODY' } });
    expect(audit).toHaveLength(1);
    expect(audit[0].props).toMatchObject({
      outcome: 'refused',
      code: 'NOT_ALLOWED',
      query: 'MATCH (s:Service) RETURN s.name',
      channel: 'CSHOP',
    });
  });

  it('a write query is refused even for an allowlisted user, and audited', async () => {
    const body = await slash('USRE', 'cypher MATCH (n) DETACH DELETE n');
    expect(texts(body.blocks)).toContain('read-only');
    expect((await graph.counts()).nodes).toBeGreaterThan(20);
    const audit = await graph.findNodes({ label: 'CypherAudit', where: { by: 'USRE' } });
    expect(audit.map((a) => a.props.code)).toContain('CYPHER_WRITE_REFUSED');
  });

  it('a user-group member passes the allowlist (the embedded graph then says Cypher needs Neo4j)', async () => {
    const body = await slash('UGRP', 'cypher MATCH (s:Service) RETURN s.name');
    expect(texts(body.blocks)).toContain('Neo4j');
    expect(h.standIn.of('usergroups.users.list')[0]?.body.usergroup).toBe('SOPS');
  });

  it('an @mention is answered in a thread', async () => {
    await send(
      eventBody({
        type: 'app_mention',
        user: 'UONCALL',
        text: '<@UBOT> incidents',
        channel: 'CSHOP',
        ts: '1700000999.000200',
        event_ts: '1700000999.000200',
      }),
      JSON_TYPE,
    );
    const answer = h.standIn.of('chat.postMessage').find((c) => c.body.thread_ts === '1700000999.000200');
    expect(answer?.body.text).toBe('1 open incident');
  });

  it('App Home lists the open incidents', async () => {
    await send(
      eventBody({ type: 'app_home_opened', user: 'UONCALL', channel: 'DHOME', tab: 'home', event_ts: '5' }),
      JSON_TYPE,
    );
    const views = h.standIn.of('views.publish');
    expect(views).toHaveLength(1);
    expect(views[0].body.user_id).toBe('UONCALL');
    expect(texts(views[0].body.view)).toContain('#1');
  });
});
