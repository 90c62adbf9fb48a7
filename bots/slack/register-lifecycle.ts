import type { App, BlockAction, ButtonAction, UsersSelectAction } from '@slack/bolt';
import type { LifecycleAsk } from '../../src/assistant/answers/lifecycle.js';
import type { Reply } from '../../src/assistant/reply.js';
import type { CardRef } from '../../src/ports/notifier.js';
import { ACTIONS } from './action-ids.js';
import { cardOf } from './card-of.js';
import { clip, SLACK_LIMITS } from './render/limits.js';
import type { SlackDeps } from './slack-deps.js';

/** What the resolve dialog carries from the card to its submission. */
interface DialogMetadata {
  incident: number;
  card: CardRef;
}

const NOTE_BLOCK = 'rg_note';
const NOTE_INPUT = 'rg_note_text';

/** The lifecycle action's outcome in the card's thread; the card itself is edited by the assistant's notifier. */
async function say(deps: SlackDeps, card: CardRef, reply: Reply): Promise<void> {
  const text = [
    reply.title,
    ...reply.sections.flatMap((s) => s.lines),
    ...(reply.note ? [`_${reply.note}_`] : []),
  ].join('\n');
  await deps.notifier.reply(card, clip(text, SLACK_LIMITS.messageText)).catch(() => undefined);
}

async function act(deps: SlackDeps, body: BlockAction, incident: number, ask: LifecycleAsk): Promise<void> {
  const card = cardOf(body);
  const reply = await deps.assistant.act(incident, ask, card?.channel);
  if (card) await say(deps, card, reply);
}

/**
 * The card's lifecycle controls: Acknowledge, "Assign to…" (a user picker), Resolve… (a dialog with an
 * optional note) and Reopen. Each goes through the assistant (the same path as "ack" in chat), which
 * records it on the incident and republishes the card; the outcome is said in the card's thread.
 */
export function registerLifecycle(app: App, deps: SlackDeps): void {
  const incidentOf = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);
  app.action<BlockAction<ButtonAction>>(ACTIONS.acknowledge, async ({ ack, body, action }) => {
    await ack();
    const n = incidentOf(action.value);
    if (n !== undefined) await act(deps, body, n, { action: 'acknowledge', by: body.user.id });
  });
  app.action<BlockAction<ButtonAction>>(ACTIONS.reopen, async ({ ack, body, action }) => {
    await ack();
    const n = incidentOf(action.value);
    if (n !== undefined) await act(deps, body, n, { action: 'reopen', by: body.user.id });
  });
  app.action<BlockAction<UsersSelectAction>>(ACTIONS.assign, async ({ ack, body, action }) => {
    await ack();
    const card = cardOf(body);
    const named = /^rg_lifecycle_(\d+)$/.exec(action.block_id)?.[1];
    const n = named ? Number(named) : card ? await deps.cards.incidentAt(card.channel, card.ts) : undefined;
    if (n !== undefined && action.selected_user)
      await act(deps, body, n, { action: 'assign', by: body.user.id, assignee: `<@${action.selected_user}>` });
  });
  app.action<BlockAction<ButtonAction>>(ACTIONS.resolve, async ({ ack, body, action, client }) => {
    await ack();
    const n = incidentOf(action.value);
    const card = cardOf(body);
    if (n === undefined || !card) return;
    const metadata: DialogMetadata = { incident: n, card };
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: ACTIONS.resolveDialog,
        private_metadata: JSON.stringify(metadata),
        title: { type: 'plain_text', text: `Resolve incident #${n}` },
        submit: { type: 'plain_text', text: 'Resolve' },
        close: { type: 'plain_text', text: 'Cancel' },
        blocks: [
          {
            type: 'input',
            block_id: NOTE_BLOCK,
            optional: true,
            label: { type: 'plain_text', text: 'Resolution note' },
            element: {
              type: 'plain_text_input',
              action_id: NOTE_INPUT,
              multiline: true,
              placeholder: { type: 'plain_text', text: 'What fixed it (rolled back, scaled up, …)' },
            },
          },
        ],
      },
    });
  });
  app.view(ACTIONS.resolveDialog, async ({ ack, body, view }) => {
    await ack();
    let meta: DialogMetadata;
    try {
      meta = JSON.parse(view.private_metadata) as DialogMetadata;
    } catch {
      return;
    }
    const note = view.state.values[NOTE_BLOCK]?.[NOTE_INPUT]?.value?.trim();
    const reply = await deps.assistant.act(
      meta.incident,
      { action: 'resolve', by: body.user.id, ...(note ? { note } : {}) },
      meta.card.channel,
    );
    await say(deps, meta.card, reply);
  });
}
