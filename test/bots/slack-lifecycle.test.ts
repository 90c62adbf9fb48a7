import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from '@slack/bolt';
import type { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import type { Incident } from '../../src/incidents/incident.js';
import { uid } from '../../src/model/uid.js';
import { limitViolations } from '../../bots/slack/render/limits.js';
import { blockActionBody, postSigned, viewSubmissionBody } from '../helpers/slack-standin.js';
import { boutiqueGraph, svc } from '../assistant/fixture.js';
import { visibleSlackText } from '../assistant/demo-scenario.js';
import { SECRET, startHarness, type Harness } from './slack-harness.js';

let h: Harness;
let graph: MemoryGraphStore;
let incident: Incident;
let card: { channel: string; ts: string };
const FORM = 'application/x-www-form-urlencoded';
const send = (body: string) => postSigned(h.events, body, { secret: SECRET, contentType: FORM });
const click = (user: string, action: Record<string, unknown>) =>
  send(blockActionBody(h.standIn, { user, channel: card.channel, ts: card.ts, action }));
const lastCard = () => h.standIn.of('chat.update').at(-1)?.body.blocks as types.KnownBlock[];
const thread = () =>
  h.standIn
    .of('chat.postMessage')
    .filter((c) => c.body.thread_ts === card.ts)
    .map((c) => String(c.body.text));

beforeAll(async () => {
  ({ graph, incident } = await boutiqueGraph());
  h = await startHarness(graph);
  card = await h.bot.notifier.publish(incident);
  incident.card = card;
  await h.incidents.save(incident);
});
afterAll(async () => {
  await h.close();
});

describe('the card on Slack: what it shows', () => {
  it('impact, top suspect with evidence and an overflow menu, other suspects in a select, alerts with links, lifecycle buttons', () => {
    const blocks = h.standIn.of('chat.postMessage')[0].body.blocks as types.KnownBlock[];
    expect(limitViolations(blocks)).toEqual([]);
    const text = visibleSlackText(blocks);
    expect(text).toContain('*Impact*');
    expect(text).toContain('*Top suspect* `paymentservice` — score *0.90*');
    expect(text).toContain('<https://runbooks.example/PaymentLatencyHigh|runbook>');
    expect(text).toMatch(/<http:\/\/alertmanager\.example:9093\/#\/silences\/new\?filter=[^|]+\|silence>/);
    expect(text).toMatch(/opened <!date\^\d+\^\{date_short_pretty\} \{time\}\|/);
    const top = blocks.find((b) => b.block_id === 'rg_top') as types.SectionBlock;
    expect((top.accessory as types.Overflow).options.map((o) => o.text.text)).toEqual([
      ':white_check_mark: Root cause',
      ':x: Not this one',
      ':mag: Why?',
      ':scroll: Error logs',
    ]);
    const others = blocks.find((b) => b.block_id === 'rg_others') as types.SectionBlock;
    expect((others.accessory as types.StaticSelect).options).toHaveLength(3);
    // No more "Root cause / Not this" button pairs per candidate on the card itself.
    expect(JSON.stringify(blocks)).not.toContain('"action_id":"rg_root_cause"');
    const actions = blocks.find((b) => b.block_id === `rg_lifecycle_${incident.number}`) as types.ActionsBlock;
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      'rg_ack',
      'rg_assign',
      'rg_resolve',
      'rg_name_root_cause',
    ]);
  });
});

describe('the card on Slack: what people do with it', () => {
  it('"Root cause" from the overflow menu is feedback on the top suspect', async () => {
    await click('UMENU', {
      type: 'overflow',
      action_id: 'rg_top_menu',
      selected_option: {
        text: { type: 'plain_text', text: 'Root cause' },
        value: `root|${incident.number}|${svc('paymentservice')}`,
      },
    });
    const node = await graph.getNode(uid('Feedback', incident.number, svc('paymentservice'), 'UMENU'));
    expect(node?.props).toMatchObject({ verdict: 'root-cause', source: 'menu' });
  });

  it('picking another suspect shows its evidence with its own buttons in the thread', async () => {
    await click('UPICK', {
      type: 'static_select',
      action_id: 'rg_pick_suspect',
      selected_option: {
        text: { type: 'plain_text', text: '2. checkoutservice (0.45)' },
        value: `${incident.number}|${svc('checkoutservice')}`,
      },
    });
    const post = h.standIn
      .of('chat.postMessage')
      .find((c) => String(c.body.text).startsWith('Suspect 2. checkoutservice'));
    const blocks = post?.body.blocks as types.KnownBlock[];
    expect(visibleSlackText(blocks)).toContain('*2. `checkoutservice`* — score *0.45*');
    expect(JSON.stringify(blocks)).toContain('"action_id":"rg_root_cause"');
  });

  it('Acknowledge: recorded on the incident, the card edited in place, said in the thread', async () => {
    const updates = h.standIn.of('chat.update').length;
    await click('UONCALL', { type: 'button', action_id: 'rg_ack', value: String(incident.number) });
    expect((await h.incidents.get(incident.number))?.lifecycle?.acknowledged?.by).toBe('UONCALL');
    expect(h.standIn.of('chat.update').length).toBe(updates + 1);
    expect(h.standIn.of('chat.update').at(-1)?.body.ts).toBe(card.ts);
    expect(visibleSlackText(lastCard())).toContain('acked by <@UONCALL>');
    expect(thread()).toContain(`Incident #${incident.number} acknowledged by <@UONCALL>.`);
  });

  it('"Assign to…" picks a person', async () => {
    await click('UONCALL', {
      type: 'users_select',
      action_id: 'rg_assign',
      block_id: `rg_lifecycle_${incident.number}`,
      selected_user: 'UHELPER',
    });
    expect((await h.incidents.get(incident.number))?.lifecycle?.assignee).toMatchObject({
      id: 'UHELPER',
      kind: 'user',
    });
    expect(visibleSlackText(lastCard())).toContain('assigned to <@UHELPER>');
  });

  it('Resolve… opens a dialog; its note is recorded and shown, and the card offers Reopen', async () => {
    await click('UONCALL', { type: 'button', action_id: 'rg_resolve', value: String(incident.number) });
    const opened = h.standIn.of('views.open').at(-1);
    const view = opened?.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('rg_resolve_dialog');
    const res = await send(
      viewSubmissionBody({
        user: 'UONCALL',
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: {
          rg_note: { rg_note_text: { type: 'plain_text_input', value: 'Rolled back paymentservice to v0.9.1' } },
        },
      }),
    );
    expect(res.status).toBe(200);
    const stored = await h.incidents.get(incident.number);
    expect(stored?.status).toBe('resolved');
    expect(stored?.lifecycle?.resolution).toMatchObject({
      by: 'UONCALL',
      note: 'Rolled back paymentservice to v0.9.1',
    });
    const text = visibleSlackText(lastCard());
    expect(text).toContain('[Resolved] Incident #1');
    expect(text).toContain('*Resolution* Rolled back paymentservice to v0.9.1');
    expect(JSON.stringify(lastCard())).toContain('"action_id":"rg_reopen"');
    expect(JSON.stringify(lastCard())).not.toContain('"action_id":"rg_ack"');
  });

  it('Reopen brings it back, unacknowledged', async () => {
    await click('UOTHER', { type: 'button', action_id: 'rg_reopen', value: String(incident.number) });
    const stored = await h.incidents.get(incident.number);
    expect(stored?.status).toBe('open');
    expect(stored?.lifecycle?.events.map((e) => [e.action, e.by])).toEqual([
      ['acknowledge', 'UONCALL'],
      ['assign', 'UONCALL'],
      ['resolve', 'UONCALL'],
      ['reopen', 'UOTHER'],
    ]);
    expect(JSON.stringify(lastCard())).toContain('"action_id":"rg_ack"');
  });

  it('"ack" typed in Slack goes the same way', async () => {
    const res = await send(
      new URLSearchParams({
        token: 'x',
        team_id: 'T1',
        team_domain: 'acme',
        channel_id: card.channel,
        channel_name: 'incidents',
        user_id: 'UTYPIST1',
        user_name: 'typed',
        command: '/rootgraph',
        text: 'ack',
        api_app_id: 'A1',
        response_url: `${h.standIn.url}/respond/typed`,
        trigger_id: '1.2.3',
      }).toString(),
    );
    expect(res.status).toBe(200);
    expect((await h.incidents.get(incident.number))?.lifecycle?.acknowledged?.by).toBe('UTYPIST1');
    expect(String(h.standIn.of('response_url').at(-1)?.body.text)).toBe(
      `Incident #${incident.number} acknowledged by <@UTYPIST1>.`,
    );
  });
});
